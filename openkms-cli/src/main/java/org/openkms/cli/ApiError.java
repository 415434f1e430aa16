package org.openkms.cli;

/** An error the server answered: its Code and Message are what the user sees; exit status 1. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final Integer status;
    private final String requestId;

    ApiError(String code, String message, Integer status, String requestId) {
        super(message);
        this.code = code;
        this.status = status;
        this.requestId = requestId;
    }

    String code() {
        return code;
    }

    /** The lines the aliyun CLI prints for a server error. */
    String describe() {
        StringBuilder b = new StringBuilder("ERROR: ");
        if (status != null) {
            b.append("SDK.ServerError\nStatusCode: ").append(status).append('\n');
        }
        b.append("ErrorCode: ").append(code).append("\nMessage: ").append(getMessage());
        if (requestId != null) {
            b.append("\nRequestId: ").append(requestId);
        }
        return b.toString();
    }
}
