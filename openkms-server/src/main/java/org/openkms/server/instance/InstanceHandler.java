package org.openkms.server.instance;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.openkms.core.Ids;
import org.openkms.core.accesspoint.AccessPoints;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.Principal;
import org.openkms.server.actions.InstanceActions;
import org.openkms.server.gateway.ApiProduct;
import org.openkms.server.gateway.Gateway;
import org.openkms.server.http.BodyReader;
import org.openkms.server.http.HttpLimits;
import org.openkms.wire.InstanceSignature;
import org.openkms.wire.ProtoWire;

/**
 * The KMS Instance API front end (the dedicated gateway,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-reference-kms-instance-api):
 * {@code POST /} with a protobuf body, authenticated by a ClientKey signature, served by the same {@link Gateway}
 * pipeline as the OpenAPI front end (authorise, execute, audit) with the operations of {@link InstanceActions}.
 * Every answer is protobuf: the call's response message, or an {@code Error} message — the official clients fail
 * on any other body.
 */
public final class InstanceHandler extends Handler.Abstract {
    /** Alibaba's limit for a request body after protobuf encoding (docs: encrypt-2, advanceencrypt). */
    public static final int MAX_BODY = 3 * 1024 * 1024;

    private static final String PROTOBUF = "application/x-protobuf";
    private final Gateway gateway;
    private final ApiProduct product;
    private final ClientKeyAuthenticator authenticator;
    /** Bytes a second a request body must keep up (HttpLimits.minRequestDataRate, as on the OpenAPI listener). */
    private final long minDataRate;

    /**
     * The KMS API (2016-01-20) actions a KMS instance's endpoint also serves to RAM identities (AccessKey or STS
     * signatures, RPC or ACS3): its cryptographic operations and GetSecretValue. "Management operations are
     * accessible only through the shared gateway"; the dedicated gateway serves "all cryptographic operations and
     * secret retrieval APIs, except ReEncrypt"
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/classic-kms-sdkclassic-kms-sdk);
     * GetPublicKey's and the data key export calls' own pages name the dedicated gateway too
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-getpublickey).
     */
    public static final Set<String> OPENAPI_ACTIONS = Set.of(
            "Encrypt",
            "Decrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "GenerateAndExportDataKey",
            "ExportDataKey",
            "AsymmetricEncrypt",
            "AsymmetricDecrypt",
            "AsymmetricSign",
            "AsymmetricVerify",
            "GetPublicKey",
            "GetSecretValue");

    /**
     * The answer to any other OpenAPI call on the instance port (management operations, ReEncrypt, RAM, STS), after
     * authentication and audited. Alibaba documents no code for it; a gateway answers an action it does not serve
     * with 404 InvalidAction.NotFound
     * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-error-codes), which
     * every SDK reports as such, and the message says where the call belongs. It does not echo the action name.
     */
    public static KmsException notServedHere(String action) {
        return new KmsException(
                404,
                "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method. A KMS instance endpoint serves only"
                        + " cryptographic operations and GetSecretValue; management operations are served by the"
                        + " shared gateway.");
    }

    private final Handler openApi;

    /**
     * @param openApi the OpenAPI front end for requests without {@code x-kms-apiname} (limited to
     *                {@link #OPENAPI_ACTIONS}), or null to answer them as Instance API requests
     */
    public InstanceHandler(
            Gateway gateway, AccessPoints accessPoints, Clock clock, HttpLimits limits, Handler openApi) {
        this(gateway, accessPoints, clock, limits, openApi, null);
    }

    /**
     * The gateway of one instance: its operations act only on that instance's keys and secrets (a key of another
     * instance is Forbidden.KeyNotFound here). {@code gateway} should authorise ClientKeys for the same instance.
     *
     * @param instanceId the instance served, or null for the default instance
     */
    public InstanceHandler(
            Gateway gateway,
            AccessPoints accessPoints,
            Clock clock,
            HttpLimits limits,
            Handler openApi,
            String instanceId) {
        this.openApi = openApi;
        if (openApi != null) {
            addBean(openApi);
        }
        this.gateway = gateway;
        this.minDataRate = limits.minRequestDataRate();
        this.product = new ApiProduct(
                InstanceActions.VERSION,
                "Kms",
                "kms",
                InstanceActions.registry(instanceId),
                (action, params) -> List.of(),
                "Forbidden.NoPermission");
        this.authenticator = new ClientKeyAuthenticator(accessPoints, clock);
    }

    @Override
    public void setServer(org.eclipse.jetty.server.Server server) {
        super.setServer(server);
        if (openApi != null) {
            openApi.setServer(server);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (openApi != null && isOpenApi(request)) {
            return openApi.handle(request, response, callback);
        }
        if (!"POST".equals(request.getMethod())
                || !"/".equals(request.getHttpURI().getPath())) {
            send(response, callback, 404, error(404, "InvalidApiName", "Only POST / is served here."), null);
            return true;
        }
        // Read without holding a thread and at a minimum rate, as the OpenAPI listener does: a trickled body is cut
        // with 408 instead of holding its connection until the request deadline.
        BodyReader.read(request, MAX_BODY, minDataRate, new BodyReader.Done() {
            @Override
            public void body(byte[] body) {
                serve(request, response, callback, body);
            }

            @Override
            public void failed(int status) {
                send(response, callback, status, bodyError(status), null);
            }
        });
        return true;
    }

    /**
     * A KMS API call rather than an Instance API one: no {@code x-kms-apiname}, {@code POST} or {@code GET} of
     * {@code /}, and an action where the OpenAPI carries one (the {@code x-acs-action} header of ACS3, the
     * {@code Action} query parameter of RPC, or a form body, where the V1 SDK may put it). Anything else stays here
     * and is answered with an Error message.
     */
    private static boolean isOpenApi(Request request) {
        HttpFields headers = request.getHeaders();
        if (headers.contains(InstanceSignature.API_NAME)
                || !"/".equals(request.getHttpURI().getPath())
                || !("POST".equals(request.getMethod()) || "GET".equals(request.getMethod()))) {
            return false;
        }
        if (headers.contains("x-acs-action")) {
            return true;
        }
        String query = request.getHttpURI().getQuery();
        if (query != null && ("&" + query).contains("&Action=")) {
            return true;
        }
        String type = headers.get(HttpHeader.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** The Error message for a body that was not read whole. */
    private static byte[] bodyError(int status) {
        return switch (status) {
            case BodyReader.TOO_LARGE -> error(status, "RequestEntityTooLarge", "The request body exceeds 3 MB.");
            case BodyReader.TOO_SLOW -> error(status, "RequestTimeout", "The request was not received in time.");
            default -> error(status, "InvalidParameter", "The request body could not be read.");
        };
    }

    private void serve(Request request, Response response, Callback callback, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        for (HttpField f : request.getHeaders()) {
            headers.putIfAbsent(f.getLowerCaseName(), f.getValue());
        }
        Answer a = answer(headers, body, remoteIp(request));
        send(response, callback, a.status(), a.body(), a.keyVersionId());
    }

    /** What the front end answers, without Jetty. */
    record Answer(int status, byte[] body, String keyVersionId) {}

    Answer answer(Map<String, String> headers, byte[] body, String sourceIp) {
        String apiName = headers.get(InstanceSignature.API_NAME);
        String version = headers.get(InstanceSignature.API_VERSION_HEADER);
        InstanceMessages.Api api = InstanceMessages.api(apiName);
        Map<String, String> params = Map.of();
        KmsException early = null;
        if (!InstanceActions.VERSION.equals(version)) {
            early = new KmsException(400, "InvalidApiVersion", "The ApiVersion \"" + version + "\" is invalid.");
        } else if (api == null) {
            early = new KmsException(400, "InvalidApiName", "The ApiName \"" + apiName + "\" is invalid.");
        } else {
            try {
                params = new HashMap<>(InstanceMessages.decode(api, body));
                String migration = headers.get(InstanceSignature.MIGRATION_KEY_VERSION_ID);
                if (migration != null && !migration.isEmpty()) {
                    params.put(InstanceActions.MIGRATION_KEY_VERSION_ID, migration.trim());
                }
            } catch (ProtoWire.MalformedException e) {
                // Not InvalidParam: the transfer client turns every InvalidParam it does not know into
                // InvalidAccessKeyId.NotFound.
                early = new KmsException(
                        400, "InvalidParameter", "The request body is not a valid " + apiName + "Request message.");
            }
        }
        KmsException refused = early;
        Gateway.Outcome o = gateway.invoke(
                product,
                apiName == null ? "" : apiName,
                () -> {
                    Principal p = authenticator.authenticate("POST", headers, body);
                    if (refused != null) {
                        throw refused;
                    }
                    return p;
                },
                params,
                sourceIp,
                true,
                headers.get(InstanceSignature.ACCESS_KEY_ID));
        if (o.error() != null) {
            KmsException e = o.error();
            return new Answer(
                    e.httpStatus(),
                    InstanceMessages.error(e.httpStatus(), e.code(), e.getMessage(), o.requestId()),
                    null);
        }
        Object kv = o.body().get("KeyVersionId");
        return new Answer(
                200, InstanceMessages.encode(api, o.body(), o.requestId()), kv == null ? null : kv.toString());
    }

    private static byte[] error(int status, String code, String message) {
        return InstanceMessages.error(status, code, message, Ids.newRequestId());
    }

    private static void send(Response response, Callback callback, int status, byte[] body, String keyVersionId) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROTOBUF);
        if (keyVersionId != null) {
            // The transfer client requires it on Encrypt and GenerateDataKey answers (kms-transfer-client 0.2.2).
            response.getHeaders().put(InstanceSignature.MIGRATION_KEY_VERSION_ID, keyVersionId);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private static String remoteIp(Request request) {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
    }
}
