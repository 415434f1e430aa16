package org.openkms.core.key;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.openkms.core.error.Errors;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.asymmetric.AsymmetricKeyPair;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;

/**
 * BYOK
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getparametersforimport):
 * GetParametersForImport hands out a fresh wrapping public key with an ImportToken valid 24 hours; ImportKeyMaterial
 * unwraps the material with the token's private key and hands it to {@link KeyService#importKeyMaterial}, which owns
 * the key's state transitions.
 */
public final class ImportService {
    public static final Duration TOKEN_VALIDITY = Duration.ofHours(24);
    /** 9999-12-31T23:59:59Z, the last time the API's timestamp format can express. */
    static final long MAX_EXPIRE_UNIX = 253_402_300_799L;

    private final KeyService keys;
    private final ImportTokens tokens;
    private final Clock clock;

    public ImportService(KeyService keys, ImportTokens tokens, Clock clock) {
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
    }

    public record ImportParameters(String keyId, byte[] publicKey, String importToken, Instant tokenExpireTime) {}

    /** Checks the WrappingAlgorithm/WrappingKeySpec pair: RSA_2048 with PKCS#1 v1.5 or OAEP, EC_SM2 with SM2PKE. */
    public static void checkWrapping(EncryptionAlgorithm algorithm, AsymmetricKeyType spec) {
        boolean ok = spec == AsymmetricKeyType.RSA_2048
                ? algorithm != EncryptionAlgorithm.SM2PKE
                : spec == AsymmetricKeyType.EC_SM2 && algorithm == EncryptionAlgorithm.SM2PKE;
        if (!ok) {
            throw Errors.invalidParameter(
                    "WrappingAlgorithm", algorithm + " cannot be used with WrappingKeySpec " + spec + ".");
        }
    }

    /** Works in every key state (state table); each call makes a new wrapping key pair. */
    public ImportParameters getParametersForImport(
            String keyIdParam, EncryptionAlgorithm algorithm, AsymmetricKeyType spec) {
        KeyRecord k = keys.describeKey(keyIdParam);
        if (k.origin() != Origin.EXTERNAL) {
            throw Errors.unsupportedOrigin();
        }
        checkWrapping(algorithm, spec);
        AsymmetricKeyPair wrapping = AsymmetricKeyPair.generate(spec);
        // Whole seconds: TokenExpireTime goes out with second precision and must equal what the token holds.
        Instant expiry =
                Instant.ofEpochSecond(clock.instant().plus(TOKEN_VALIDITY).getEpochSecond());
        String token = tokens.issue(new ImportTokens.Token(k.keyId(), algorithm, spec, expiry, wrapping));
        return new ImportParameters(k.keyId(), wrapping.publicKey().der(), token, expiry);
    }

    /**
     * @param expireUnix KeyMaterialExpireUnix: seconds since the epoch, 0 for material that never expires.
     */
    public void importKeyMaterial(String keyIdParam, byte[] encryptedMaterial, String importToken, long expireUnix) {
        KeyRecord k = keys.describeKey(keyIdParam);
        if (k.origin() != Origin.EXTERNAL) {
            throw Errors.unsupportedOrigin();
        }
        ImportTokens.Token token = tokens.open(importToken)
                .filter(t -> t.keyId().equals(k.keyId()))
                .orElseThrow(Errors::invalidImportToken);
        Instant now = clock.instant();
        if (!now.isBefore(token.expiry())) {
            throw Errors.expiredImportToken();
        }
        Instant expireTime = null;
        if (expireUnix != 0) {
            // Checked before Instant.ofEpochSecond, which throws past Instant.MAX (a 500 before this check); and at
            // most
            // the last second of 9999, because MaterialExpireTime goes out as yyyy-MM-ddTHH:mm:ssZ: a later time was
            // stored and then made every DescribeKey of the key fail (both reproduced by SignedGatewayFuzzTest inputs).
            if (expireUnix < 0
                    || expireUnix > MAX_EXPIRE_UNIX
                    || !Instant.ofEpochSecond(expireUnix).isAfter(now)) {
                throw Errors.invalidParameter(
                        "KeyMaterialExpireUnix", "It must be 0 (never) or a time in the future before the year 10000.");
            }
            expireTime = Instant.ofEpochSecond(expireUnix);
        }
        byte[] material;
        try {
            material = token.algorithm().decrypt(token.wrappingKey(), encryptedMaterial);
        } catch (CryptoException e) {
            throw Errors.invalidKeyMaterial(
                    "EncryptedKeyMaterial cannot be unwrapped with this ImportToken's key and algorithm.");
        }
        try {
            keys.importKeyMaterial(k.keyId(), material, expireTime);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }
}
