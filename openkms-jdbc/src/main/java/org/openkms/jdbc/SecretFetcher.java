package org.openkms.jdbc;

import com.aliyun.kms20160120.Client;
import com.aliyun.kms20160120.models.GetSecretValueRequest;
import com.aliyun.kms20160120.models.GetSecretValueResponseBody;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teautil.models.RuntimeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openkms.clientconfig.ClientConfig;

/**
 * GetSecretValue (with FetchExtendedConfig) through the official V2 SDK ({@code com.aliyun:kms20160120},
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/sdk-for-java), one client per
 * configured region, tried in order until one answers.
 *
 * <p>Why not {@code com.aliyun:alibabacloud-secretsmanager-client} 1.3.7 as the engine (Alibaba's own JDBC client
 * uses it): on the shared gateway it always speaks HTTPS with certificate checks switched off (a hard-coded
 * {@code setIgnoreSSLCerts(true)}), so anyone on the path could read the database passwords it fetches; the V2 SDK
 * checks the certificate against the JVM's trust store or the region's {@code caFilePath}. The configuration keys
 * stay Alibaba's ({@link ClientConfig}), and the cache and rotation-aware refresh are Alibaba's rules
 * ({@link SecretCache}).
 */
final class SecretFetcher {
    private static final RuntimeOptions RUNTIME =
            new RuntimeOptions().setAutoretry(false).setConnectTimeout(5000).setReadTimeout(10000);

    /** A fetched secret value: only what the driver uses. */
    static final class Value {
        final String secretData;
        final String secretType;
        final String extendedConfig;
        final String rotationInterval;
        final String nextRotationDate;

        Value(String secretData, String secretType, String extendedConfig, String rotationInterval, String next) {
            this.secretData = secretData;
            this.secretType = secretType;
            this.extendedConfig = extendedConfig;
            this.rotationInterval = rotationInterval;
            this.nextRotationDate = next;
        }
    }

    /** A failed fetch; {@code code} is KMS's error code (or ConnectionError), never secret material. */
    static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        FetchException(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        boolean notFound() {
            return "Forbidden.ResourceNotFound".equals(code) || "EntityNotExist.Secret".equals(code);
        }
    }

    private final List<Client> clients = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();

    SecretFetcher(ClientConfig config) {
        com.aliyun.credentials.Client credentials = config.credentialsClient();
        for (ClientConfig.Region r : config.regions) {
            Config c = config.kmsConfig(r, credentials);
            try {
                clients.add(new Client(c));
            } catch (Exception e) {
                throw new IllegalArgumentException(
                        ClientConfig.REGIONS + ": no KMS client for endpoint " + r.endpoint + ": " + e.getMessage());
            }
            endpoints.add(r.protocol + "://" + r.endpoint);
        }
    }

    Value fetch(String secretName) throws FetchException {
        FetchException last = null;
        for (int i = 0; i < clients.size(); i++) {
            try {
                GetSecretValueResponseBody b = clients.get(i)
                        .getSecretValueWithOptions(
                                new GetSecretValueRequest()
                                        .setSecretName(secretName)
                                        .setFetchExtendedConfig(true),
                                RUNTIME)
                        .getBody();
                return new Value(
                        b.getSecretData(),
                        b.getSecretType(),
                        b.getExtendedConfig(),
                        b.getRotationInterval(),
                        b.getNextRotationDate());
            } catch (TeaException e) {
                FetchException f = new FetchException(
                        e.getCode() == null ? "UnknownError" : e.getCode(),
                        "GetSecretValue " + secretName + " at " + endpoints.get(i) + ": " + e.getCode() + " "
                                + e.getMessage(),
                        e);
                if (!serverSide(e)) {
                    throw f; // the answer of KMS itself (not found, no permission): another region says the same
                }
                last = f;
            } catch (Exception e) {
                last = new FetchException(
                        "ConnectionError",
                        "GetSecretValue " + secretName + ": " + endpoints.get(i) + " cannot be reached: " + e,
                        e);
            }
        }
        throw last;
    }

    /** Throttling and server faults: worth asking the next region (Alibaba's client retries the same codes). */
    private static boolean serverSide(TeaException e) {
        Integer status = e.getStatusCode();
        if (status == null) {
            Map<String, Object> data = e.getData();
            Object s = data == null ? null : data.get("statusCode");
            status = s instanceof Number ? ((Number) s).intValue() : 0;
        }
        String code = e.getCode() == null ? "" : e.getCode().toLowerCase(Locale.ROOT);
        return status >= 500 || status == 0 || code.contains("throttling") || code.contains("unavailable");
    }
}
