package org.openkms.conformance.secrets;

/** An error answer as the SDK reported it: its code, and the HTTP status where the SDK exposes one (V2), else -1. */
final class SdkError extends RuntimeException {
    final String code;
    final int status;

    SdkError(String sdk, String code, int status, String message) {
        super(sdk + ": HTTP " + status + " " + code + " — " + message);
        this.code = code;
        this.status = status;
    }
}
