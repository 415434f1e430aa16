package org.openkms.conformance.iam;

import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import java.util.concurrent.Callable;
import org.openkms.conformance.ApiException;
import org.openkms.conformance.ConformanceServer;

/** The official RAM (ram20150501) and STS (sts20150401) SDK clients, pointed at the shared server. */
final class IamClients {
    private IamClients() {}

    static Config config(ConformanceServer server, String ak, String sk) {
        return new Config()
                .setAccessKeyId(ak)
                .setAccessKeySecret(sk)
                .setEndpoint("127.0.0.1:" + server.httpPort())
                .setRegionId(ConformanceServer.REGION)
                .setProtocol("http")
                .setConnectTimeout(5_000)
                .setReadTimeout(15_000);
    }

    static com.aliyun.ram20150501.Client ram(ConformanceServer server, String ak, String sk) {
        try {
            return new com.aliyun.ram20150501.Client(config(server, ak, sk));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static com.aliyun.ram20150501.Client rootRam(ConformanceServer server) {
        return ram(server, ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
    }

    static com.aliyun.sts20150401.Client sts(ConformanceServer server, String ak, String sk) {
        try {
            return new com.aliyun.sts20150401.Client(config(server, ak, sk));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an SDK call, turning TeaException into ApiException (code + HTTP status) like the KMS harness does. */
    static <T> T call(String sdk, Callable<T> c) {
        try {
            return c.call();
        } catch (TeaException e) {
            Integer status = e.getStatusCode();
            var data = e.getData();
            if (status == null && data != null && data.get("statusCode") instanceof Number n) {
                status = n.intValue();
            }
            String requestId = data == null ? null : (String) data.get("RequestId");
            throw new ApiException(
                    sdk,
                    e.getCode(),
                    status == null ? -1 : status,
                    e.getMessage(),
                    requestId,
                    String.valueOf(data),
                    false);
        } catch (Exception e) {
            throw new IllegalStateException(sdk + ": the SDK call failed without an API error", e);
        }
    }
}
