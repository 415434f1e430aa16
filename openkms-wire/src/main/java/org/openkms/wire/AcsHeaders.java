package org.openkms.wire;

/**
 * Lower-case names of the headers the signature schemes read or write
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature).
 */
public final class AcsHeaders {

    public static final String AUTHORIZATION = "authorization";
    public static final String HOST = "host";
    public static final String CONTENT_TYPE = "content-type";
    public static final String ACTION = "x-acs-action";
    public static final String VERSION = "x-acs-version";
    public static final String DATE = "x-acs-date";
    public static final String SIGNATURE_NONCE = "x-acs-signature-nonce";
    /** Also carries the SM3 hash in ACS3-HMAC-SM3 mode (the SDK does not rename it). */
    public static final String CONTENT_SHA256 = "x-acs-content-sha256";

    public static final String ACCESS_KEY_ID = "x-acs-accesskey-id";
    public static final String SECURITY_TOKEN = "x-acs-security-token";
    public static final String CREDENTIALS_PROVIDER = "x-acs-credentials-provider";

    /** The only API version of KMS. */
    public static final String KMS_API_VERSION = "2016-01-20";

    private AcsHeaders() {}

    /**
     * Whether a client signs this (lower-case) header: every one that is {@code host}, {@code content-type} or starts
     * with {@code x-acs-} (tea-openapi and gateway-pop both use this rule).
     */
    public static boolean isSignedByClients(String lowerCaseName) {
        return lowerCaseName.startsWith("x-acs-") || HOST.equals(lowerCaseName) || CONTENT_TYPE.equals(lowerCaseName);
    }
}
