package org.openkms.cli;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import java.net.URI;
import java.util.Map;

/**
 * Calls any KMS action through the official V2 SDK's generic caller ({@code tea-openapi} {@code callApi}), RPC
 * style and HMAC-SHA1 like the aliyun CLI (https://www.alibabacloud.com/help/en/sdk/product-overview/generic-call),
 * so the CLI is just another official client of the API: no signing code of its own.
 */
final class KmsClient {
    static final String KMS_VERSION = "2016-01-20";

    private final Client client;
    private final Endpoint endpoint;
    private final String protocol;
    private final RuntimeOptions runtime;

    KmsClient(Endpoint endpoint, Profile profile, String caPem, boolean insecure) {
        this.endpoint = endpoint;
        this.protocol = endpoint.https() ? "HTTPS" : "HTTP";
        Config config = new Config()
                .setEndpoint(endpoint.hostPort())
                .setProtocol(endpoint.https() ? "https" : "http")
                .setRegionId(profile.regionId())
                .setConnectTimeout(5_000)
                .setReadTimeout(30_000);
        if (caPem != null) {
            config.setCa(caPem);
        }
        try {
            config.setCredential(new com.aliyun.credentials.Client(credentials(profile, endpoint)));
            this.client = new Client(config);
        } catch (Exception e) {
            throw new CliException("cannot set up the client for " + endpoint + ": " + e.getMessage());
        }
        this.runtime = new RuntimeOptions().setIgnoreSSL(insecure).setAutoretry(false);
    }

    private static com.aliyun.credentials.models.Config credentials(Profile p, Endpoint endpoint) {
        var c = new com.aliyun.credentials.models.Config()
                .setAccessKeyId(p.accessKeyId())
                .setAccessKeySecret(p.accessKeySecret());
        switch (p.mode()) {
            case "StsToken" -> c.setType("sts").setSecurityToken(p.stsToken());
            // OpenKMS answers STS AssumeRole on the same endpoint; credentials-java always calls it over HTTPS.
            case "RamRoleArn" ->
                c.setType("ram_role_arn")
                        .setRoleArn(p.ramRoleArn())
                        .setRoleSessionName(p.roleSessionName())
                        .setSTSEndpoint(endpoint.hostPort());
            default -> c.setType("access_key");
        }
        return c;
    }

    /** The response body of {@code action} called with {@code params}; an API error becomes {@link ApiError}. */
    Map<String, Object> call(String action, Map<String, String> params) {
        return call(KMS_VERSION, action, params);
    }

    /** The same for an action of another API version (e.g. a dev server's {@code openkms-dev}). */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String version, String action, Map<String, String> params) {
        Params api = new Params()
                .setAction(action)
                .setVersion(version)
                .setProtocol(protocol)
                .setPathname("/")
                .setMethod("POST")
                .setAuthType("AK")
                .setStyle("RPC")
                .setReqBodyType("formData")
                .setBodyType("json");
        try {
            Map<String, ?> answer = client.callApi(api, new OpenApiRequest().setQuery(Map.copyOf(params)), runtime);
            Object body = answer.get("body");
            return body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (TeaException e) {
            Map<String, Object> data = e.getData();
            Integer status = e.getStatusCode();
            if (status == null && data != null && data.get("statusCode") instanceof Number n) {
                status = n.intValue();
            }
            String requestId =
                    data == null || data.get("RequestId") == null ? null : String.valueOf(data.get("RequestId"));
            // tea decorates the message ("code: 400, <Message> request id: <id>"); the answer's own is cleaner.
            String message =
                    data != null && data.get("Message") != null ? String.valueOf(data.get("Message")) : e.getMessage();
            throw new ApiError(e.getCode(), message, status, requestId);
        } catch (Exception e) {
            throw new CliException("cannot reach " + endpoint + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Where the server is: a URL ({@code http://127.0.0.1:8080}) or, as the aliyun CLI takes it, a bare host. */
    record Endpoint(boolean https, String hostPort) {
        static Endpoint parse(String value) {
            String v = value.trim();
            if (!v.contains("://")) {
                return new Endpoint(true, v);
            }
            URI uri;
            try {
                uri = URI.create(v);
            } catch (IllegalArgumentException e) {
                throw new CliException(
                        "--endpoint " + value + " is not a URL: give http://host:port or https://host:port");
            }
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new CliException(
                        "--endpoint " + value + " is not a URL: give http://host:port or https://host:port");
            }
            String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                    ? "[" + uri.getHost() + "]"
                    : uri.getHost();
            return new Endpoint("https".equals(uri.getScheme()), uri.getPort() < 0 ? host : host + ":" + uri.getPort());
        }

        @Override
        public String toString() {
            return (https ? "https://" : "http://") + hostPort;
        }
    }
}
