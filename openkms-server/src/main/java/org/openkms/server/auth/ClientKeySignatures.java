package org.openkms.server.auth;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.core.accesspoint.AccessPoints;

/**
 * SHA256withRSA verification with a ClientKey's certificate: what the Secrets Manager client sends as
 * {@code SignatureType=PRIVATEKEY} when configured with {@code credentials_type=client_key}
 * (https://github.com/aliyun/alibabacloud-secretsmanager-client-java/blob/master/README_config.md), signing the RPC
 * string-to-sign (https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism) with the key's private
 * key instead of an HMAC.
 */
final class ClientKeySignatures {
    /** ClientKey id → (certificate PEM, its public key); parsing a certificate per request would dominate the call. */
    private final Map<String, Map.Entry<String, PublicKey>> keys = new ConcurrentHashMap<>();

    /** Whether {@code signatureBase64} is the key's signature of the UTF-8 bytes of {@code stringToSign}. */
    boolean verifies(AccessPoints.ClientKey key, String stringToSign, String signatureBase64) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Map.Entry<String, PublicKey> cached = keys.get(key.clientKeyId());
        if (cached == null || !cached.getKey().equals(key.publicKeyData())) {
            PublicKey pk = publicKey(key.publicKeyData());
            if (pk == null) {
                return false;
            }
            cached = Map.entry(key.publicKeyData(), pk);
            keys.put(key.clientKeyId(), cached);
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(cached.getValue());
            s.update(stringToSign.getBytes(StandardCharsets.UTF_8));
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
            return null; // an unreadable certificate verifies nothing
        }
    }
}
