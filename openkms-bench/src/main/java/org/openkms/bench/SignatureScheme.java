package org.openkms.bench;

import java.util.Locale;

/** How requests are signed: the two schemes the official Java SDKs use by default. */
public enum SignatureScheme {
    /** ACS3-HMAC-SHA256 in headers, business parameters in the query (Java V2 SDK, tea-openapi). */
    ACS3("ACS3-HMAC-SHA256"),
    /** RPC HMAC-SHA1: everything, signature included, in the query (Java V1 SDK, aliyun-java-sdk-core). */
    RPC("HMAC-SHA1 (RPC)");

    private final String label;

    SignatureScheme(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
