package org.openkms.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The KMS Instance API's request signature
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/support/request-signatures-1; the SDK side is
 * openapi-util {@code Client.getStringToSign} in aliyun/alibabacloud-dkms-gcs-java-sdk):
 *
 * <pre>POST\n&lt;content-sha256&gt;\n&lt;content-type&gt;\n&lt;date&gt;\n&lt;x-kms-* headers, sorted, name:trim(value)\n&gt;/</pre>
 *
 * signed with SHA256withRSA by the ClientKey's private key; the canonical resource is always "/".
 */
public final class InstanceSignature {
    public static final String API_VERSION = "dkms-gcs-0.2";
    public static final String SIGNATURE_METHOD = "RSA_PKCS1_SHA_256";
    /** Sic: the SDK's header name has three c's (openapi Client.doRequest). */
    public static final String ACCESS_KEY_ID = "x-kms-acccesskeyid";

    public static final String API_NAME = "x-kms-apiname";
    public static final String API_VERSION_HEADER = "x-kms-apiversion";
    public static final String SIGNATURE_METHOD_HEADER = "x-kms-signaturemethod";
    public static final String CONTENT_SHA256 = "content-sha256";
    /** The key version a transfer-client call names or a response reports (kms-transfer-client). */
    public static final String MIGRATION_KEY_VERSION_ID = "x-kms-migrationkeyversionid";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private InstanceSignature() {}

    /** @param headers by lower-case name */
    public static String stringToSign(String method, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append('\n');
        sb.append(headers.getOrDefault(CONTENT_SHA256, "")).append('\n');
        sb.append(headers.getOrDefault("content-type", "")).append('\n');
        sb.append(headers.getOrDefault("date", "")).append('\n');
        TreeMap<String, String> kms = new TreeMap<>();
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-kms-")) {
                kms.put(name, e.getValue() == null ? "" : e.getValue().trim());
            }
        }
        for (Map.Entry<String, String> e : kms.entrySet()) {
            sb.append(e.getKey()).append(':').append(e.getValue()).append('\n');
        }
        sb.append('/');
        return sb.toString();
    }

    public static byte[] stringToSignBytes(String method, Map<String, String> headers) {
        return stringToSign(method, headers).getBytes(StandardCharsets.UTF_8);
    }

    /** The content-sha256 header's value: SHA-256 of the body in upper-case hex. */
    public static String contentSha256(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
