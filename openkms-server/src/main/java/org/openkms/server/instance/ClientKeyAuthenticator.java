package org.openkms.server.instance;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.core.accesspoint.AccessPoints;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.Principal;
import org.openkms.wire.InstanceSignature;

/**
 * Authenticates a KMS Instance API request by its ClientKey signature
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/support/request-signatures-1): the body
 * against content-sha256, the date within ±15 minutes, the SHA256withRSA signature of the string-to-sign with the
 * ClientKey's certificate, and the key's validity window and access point. The errors are those the official
 * clients know (openapi Client.doRequest retries on the Content-SHA256 message; the transfer client maps
 * Unauthorized to InvalidAccessKeyId.NotFound).
 */
final class ClientKeyAuthenticator {
    static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final AccessPoints accessPoints;
    private final Clock clock;
    /** ClientKey id → (certificate PEM, its public key); parsing a certificate per request would dominate the call. */
    private final Map<String, Map.Entry<String, PublicKey>> keys = new ConcurrentHashMap<>();

    /**
     * The last date header parsed: clients send the same second-resolution date on every request of a second, and
     * the RFC 1123 parse cost 6 % of an instance Encrypt (JFR, docs/performance.md). The skew is still checked
     * against the clock on every request.
     */
    private record ParsedDate(String text, Instant at) {}

    private volatile ParsedDate lastDate;

    ClientKeyAuthenticator(AccessPoints accessPoints, Clock clock) {
        this.accessPoints = accessPoints;
        this.clock = clock;
    }

    /** @param headers by lower-case name */
    Principal authenticate(String method, Map<String, String> headers, byte[] body) {
        String keyId = headers.get(InstanceSignature.ACCESS_KEY_ID);
        if (keyId == null || keyId.isEmpty()) {
            throw new KmsException(
                    400,
                    "MissingParameter",
                    "Parameter " + InstanceSignature.ACCESS_KEY_ID + " does not exist in http header or body.");
        }
        String method0 = headers.get(InstanceSignature.SIGNATURE_METHOD_HEADER);
        if (!InstanceSignature.SIGNATURE_METHOD.equals(method0)) {
            throw invalidParam("x-kms-signaturemethod");
        }
        checkDate(headers.get("date"));
        String sha = headers.get(InstanceSignature.CONTENT_SHA256);
        if (sha == null
                || !MessageDigest.isEqual(
                        sha.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                        InstanceSignature.contentSha256(body).getBytes(StandardCharsets.US_ASCII))) {
            throw invalidParam("Content-SHA256");
        }
        AccessPoints.ClientKey key;
        try {
            key = accessPoints.clientKey(keyId);
        } catch (KmsException notFound) {
            throw unauthorized();
        }
        byte[] signature = signature(headers.get("authorization"));
        if (!verifies(key, InstanceSignature.stringToSignBytes(method, headers), signature)) {
            throw invalidParam("Authorization");
        }
        long now = clock.millis();
        if (now < key.notBefore() || now >= key.notAfter()) {
            throw unauthorized();
        }
        try {
            accessPoints.aap(key.aapName());
        } catch (KmsException gone) {
            throw unauthorized(); // a client key outlives its deleted access point only as a dead credential
        }
        return Principal.clientKey(key.aapName(), key.clientKeyId());
    }

    private void checkDate(String date) {
        if (date == null || date.isEmpty()) {
            throw invalidParam("Date");
        }
        ParsedDate last = lastDate;
        Instant at;
        if (last != null && last.text().equals(date)) {
            at = last.at();
        } else {
            try {
                at = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) {
                throw invalidParam("Date");
            }
            lastDate = new ParsedDate(date, at);
        }
        if (Duration.between(at, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            throw invalidParam("Date");
        }
    }

    /** "Bearer &lt;base64&gt;" as the SDK sends it, or "TOKEN &lt;base64&gt;" as the docs write it. */
    private static byte[] signature(String authorization) {
        if (authorization != null) {
            for (String prefix : new String[] {"Bearer ", "TOKEN "}) {
                if (authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
                    try {
                        return Base64.getDecoder()
                                .decode(authorization.substring(prefix.length()).trim());
                    } catch (IllegalArgumentException e) {
                        break;
                    }
                }
            }
        }
        throw invalidParam("Authorization");
    }

    private boolean verifies(AccessPoints.ClientKey key, byte[] stringToSign, byte[] signature) {
        Map.Entry<String, PublicKey> cached = keys.get(key.clientKeyId());
        if (cached == null || !cached.getKey().equals(key.publicKeyData())) {
            cached = Map.entry(key.publicKeyData(), publicKey(key.publicKeyData()));
            keys.put(key.clientKeyId(), cached);
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(cached.getValue());
            s.update(stringToSign);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static PublicKey publicKey(String certificatePem) {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)))
                    .getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unreadable client key certificate", e);
        }
    }

    static KmsException invalidParam(String param) {
        return new KmsException(400, "InvalidParam", "The Param " + param + " is invalid.");
    }

    static KmsException unauthorized() {
        return new KmsException(401, "Unauthorized", "The client key is unknown, expired or not yet valid.");
    }
}
