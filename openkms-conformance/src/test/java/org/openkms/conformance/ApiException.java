package org.openkms.conformance;

/**
 * An error answer as one official SDK reported it: the error code from the SDK's exception ({@code TeaException}
 * for V2, {@code ClientException}/{@code ServerException} for V1) and the HTTP status of the response, plus the
 * raw evidence for bug reports.
 *
 * @param sdk       which client configuration made the call
 * @param code      the SDK's error code (V2 {@code TeaException.getCode()}, V1 {@code getErrCode()})
 * @param status    HTTP status (V2: {@code getStatusCode()} or {@code data.statusCode}; V1: status of the answer the
 *                  SDK parsed the exception from, recorded by {@code V1Api.RecordingClient})
 * @param message   the SDK's error message
 * @param requestId the RequestId the SDK extracted
 * @param rawBody   the response body (V1: of that same answer; V2: the SDK's parsed data map)
 * @param serverSide V1 only: true when the SDK threw {@code ServerException} (HTTP ≥ 500)
 */
public final class ApiException extends RuntimeException {
    private final String sdk;
    private final String code;
    private final int status;
    private final String requestId;
    private final String rawBody;
    private final boolean serverSide;

    public ApiException(
            String sdk, String code, int status, String message, String requestId, String rawBody, boolean serverSide) {
        super(sdk + ": HTTP " + status + " " + code + " — " + message + " [RequestId " + requestId + "] body="
                + rawBody);
        this.sdk = sdk;
        this.code = code;
        this.status = status;
        this.requestId = requestId;
        this.rawBody = rawBody;
        this.serverSide = serverSide;
    }

    public String sdk() {
        return sdk;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String requestId() {
        return requestId;
    }

    public String rawBody() {
        return rawBody;
    }

    public boolean serverSide() {
        return serverSide;
    }
}
