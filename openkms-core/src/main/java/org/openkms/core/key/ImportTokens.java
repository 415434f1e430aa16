package org.openkms.core.key;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.asymmetric.AsymmetricKeyPair;
import org.openkms.crypto.asymmetric.AsymmetricKeyType;
import org.openkms.crypto.asymmetric.EncryptionAlgorithm;
import org.openkms.crypto.rootkey.RootKeyProvider;

/**
 * Stateless ImportTokens: the token is the wrapping private key, the key it is bound to, the wrapping
 * algorithm and the expiry, sealed under the root key (AES-GCM, so it cannot be read or altered). Nothing is
 * stored: any node holding the root key accepts it until it expires, and a token is reusable within its
 * validity, as the API allows. Layout before sealing:
 * {@code 0x01 ‖ u16+keyId ‖ u16+algorithm ‖ u16+spec ‖ i64 expiry millis ‖ encoded key pair}.
 */
public final class ImportTokens {
    private static final byte FORMAT_V1 = 1;
    private static final byte[] CONTEXT = "openkms/import-token/v1".getBytes(StandardCharsets.UTF_8);
    private final RootKeyProvider rootKey;

    public ImportTokens(RootKeyProvider rootKey) {
        this.rootKey = rootKey;
    }

    record Token(
            String keyId,
            EncryptionAlgorithm algorithm,
            AsymmetricKeyType spec,
            Instant expiry,
            AsymmetricKeyPair wrappingKey) {}

    String issue(Token t) {
        byte[] keyPair = t.wrappingKey().encode();
        byte[][] strings = {
            utf8(t.keyId()), utf8(t.algorithm().name()), utf8(t.spec().name())
        };
        ByteBuffer b = ByteBuffer.allocate(
                1 + 6 + strings[0].length + strings[1].length + strings[2].length + 8 + keyPair.length);
        b.put(FORMAT_V1);
        for (byte[] s : strings) {
            b.putShort((short) s.length).put(s);
        }
        b.putLong(t.expiry().toEpochMilli()).put(keyPair);
        Arrays.fill(keyPair, (byte) 0);
        byte[] plain = b.array();
        try {
            return Base64.getEncoder().encodeToString(rootKey.seal(plain, CONTEXT));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The token's content, or empty when it is not a token this server (root key) issued. */
    Optional<Token> open(String token) {
        byte[] plain = null;
        try {
            plain = rootKey.unseal(Base64.getDecoder().decode(token.trim()), CONTEXT);
            ByteBuffer b = ByteBuffer.wrap(plain);
            if (b.get() != FORMAT_V1) {
                return Optional.empty();
            }
            String keyId = string(b);
            EncryptionAlgorithm algorithm = EncryptionAlgorithm.valueOf(string(b));
            AsymmetricKeyType spec = AsymmetricKeyType.valueOf(string(b));
            Instant expiry = Instant.ofEpochMilli(b.getLong());
            byte[] keyPair = new byte[b.remaining()];
            b.get(keyPair);
            AsymmetricKeyPair wrappingKey = AsymmetricKeyPair.decode(spec, keyPair);
            Arrays.fill(keyPair, (byte) 0);
            return Optional.of(new Token(keyId, algorithm, spec, expiry, wrappingKey));
        } catch (CryptoException | IllegalArgumentException | BufferUnderflowException e) {
            return Optional.empty();
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static String string(ByteBuffer b) {
        byte[] s = new byte[b.getShort() & 0xffff];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
