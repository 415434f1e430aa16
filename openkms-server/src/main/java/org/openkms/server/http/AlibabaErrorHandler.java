package org.openkms.server.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.openkms.core.Ids;

/**
 * Errors that Jetty itself produces (a malformed request line, a URI or headers over the limit, an unsupported HTTP
 * version, a body that came too slowly) answered the way Alibaba's gateway answers every error: a JSON body with
 * Code, Message, RequestId and HttpStatus. The official SDKs parse every error body as JSON; Jetty's HTML page makes
 * them fail with "convert to JSON" and leaves their pooled connection unusable.
 * See https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-error-codes
 */
final class AlibabaErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(
            Request request, Response response, int status, String message, Throwable cause, Callback callback)
            throws IOException {
        if (HttpServerFactory.isInstanceConnector(
                request.getConnectionMetaData().getConnector().getName())) {
            // The KMS Instance SDK parses every error body as a protobuf Error message.
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-protobuf");
            response.write(true, ByteBuffer.wrap(protobufBody(status)), callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.write(true, ByteBuffer.wrap(body(status)), callback);
    }

    /**
     * Kept for a Jetty that still calls it: 12.1 answers a request it cannot parse through {@link #generateResponse},
     * which knows the connector (and so writes an Error message on the instance listener); this hook does not.
     */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        return ByteBuffer.wrap(body(status));
    }

    /**
     * The same error as the Instance API's Error message (StatusCode, ErrorCode, ErrorMessage, RequestId), with the
     * codes the instance front end uses for the same cases (InstanceHandler): a path or method it does not serve is
     * {@code InvalidApiName}, a body over the limit {@code RequestEntityTooLarge}; the rest as on the OpenAPI
     * listeners. Never {@code InvalidParam}: the kms-transfer-client turns any InvalidParam it does not know into
     * InvalidAccessKeyId.NotFound. Codes: https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/common-error-codes-1
     */
    static byte[] protobufBody(int status) {
        String[] codeAndMessage = switch (status) {
            case 404, 405 -> new String[] {"InvalidApiName", "Only POST / is served here."};
            case 413 -> new String[] {"RequestEntityTooLarge", "The request body exceeds 3 MB."};
            default -> codeAndMessage(status);
        };
        return new org.openkms.wire.ProtoWire.Writer()
                .int32(1, status)
                .string(2, codeAndMessage[0])
                .string(3, codeAndMessage[1])
                .string(4, Ids.newRequestId())
                .toByteArray();
    }

    /** The Alibaba error body for an HTTP-layer failure; the message never echoes request bytes. */
    static byte[] body(int status) {
        String[] codeAndMessage = codeAndMessage(status);
        String code = codeAndMessage[0];
        String message = codeAndMessage[1];
        String json = "{\"RequestId\":\"" + Ids.newRequestId() + "\",\"HostId\":\"kms.aliyuncs.com\",\"Code\":\"" + code
                + "\",\"Message\":\"" + message + "\",\"HttpStatus\":" + status + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] codeAndMessage(int status) {
        String code;
        String message;
        switch (status) {
            case 408 -> {
                code = "RequestTimeout";
                message = "The request was not received in time.";
            }
            case 413 -> {
                code = "InvalidParameter";
                message = "The request body is too large.";
            }
            case 414 -> {
                code = "InvalidParameter";
                message = "The request URI is too long.";
            }
            case 431 -> {
                code = "InvalidParameter";
                message = "The request headers are too large.";
            }
            case 505 -> {
                code = "UnsupportedHTTPVersion";
                message = "This HTTP version is not supported.";
            }
            case 404 -> {
                code = "InvalidAction.NotFound";
                message = "Specified api is not found, please check your url and method.";
            }
            case 405 -> {
                code = "UnsupportedHTTPMethod";
                message = "This http method is not supported.";
            }
            default -> {
                if (status >= 500) {
                    code = status == 503 ? "ServiceUnavailableTemporary" : "InternalFailure";
                    message = status == 503
                            ? "The service is temporarily unavailable."
                            : "The request processing has failed due to some unknown error.";
                } else {
                    code = "InvalidParameter";
                    message = "The request could not be parsed.";
                }
            }
        }
        return new String[] {code, message};
    }
}
