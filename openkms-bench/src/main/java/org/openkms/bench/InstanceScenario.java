package org.openkms.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.openkms.wire.InstanceSignature;
import org.openkms.wire.ProtoWire;

/**
 * Encrypt or Decrypt through the KMS Instance API (the dedicated gateway: protobuf over TLS, signed with an
 * application access point's ClientKey,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-reference-kms-instance-api),
 * as the KMS Instance SDK sends them.
 *
 * <p>Preparation goes through the OpenAPI with the bench's AccessKey, the way an administrator sets up an
 * application: the server's default instance and its CA (GetDefaultKmsInstance, GetKmsInstance), a key in that
 * instance, a network rule, a policy allowing that key only, an access point and a ClientKey; {@link #cleanup}
 * removes them and schedules the key's deletion.
 *
 * <p>Why a request is signed once per second and not once per request: the signature covers the body, the
 * {@code date} header (one-second resolution) and the {@code x-kms-*} headers, and nothing else varies, so within
 * a second the SDK would send the same bytes. An RSA-2048 signature costs the client about a millisecond: signing
 * each request would measure the load generator, not the server. The server still verifies every request.
 */
final class InstanceScenario implements Scenario {
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final String PASSWORD_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final boolean decrypt;
    private final AtomicReference<Signed> current = new AtomicReference<>();
    private Endpoint target;
    private String keyId;
    private String clientKeyId;
    private PrivateKey clientPrivateKey;
    private byte[] body;
    private int size;
    private String networkRule;
    private String policy;
    private String accessPoint;

    private InstanceScenario(boolean decrypt) {
        this.decrypt = decrypt;
    }

    static void registerAll() {
        Scenarios.register("InstanceEncrypt", () -> new InstanceScenario(false));
        Scenarios.register("InstanceDecrypt", () -> new InstanceScenario(true));
    }

    /** The Instance API's name of the call. */
    private String apiName() {
        return decrypt ? "Decrypt" : "Encrypt";
    }

    @Override
    public String action() {
        return decrypt ? "InstanceDecrypt" : "InstanceEncrypt";
    }

    @Override
    public boolean needsSymmetricKey() {
        return false; // the key must belong to the instance: the scenario creates its own
    }

    @Override
    public Map<String, String> params() {
        throw new UnsupportedOperationException("the Instance API is not an OpenAPI action; see writer()");
    }

    @Override
    public String describe() {
        return action() + " (" + size + "-byte plaintext, instance API, ClientKey)";
    }

    @Override
    public String bodyMustContain() {
        return keyId; // both answers carry the key id (field 1); an Error message is never a 200
    }

    @Override
    public Endpoint target(Endpoint endpoint) {
        return target;
    }

    @Override
    public void prepare(Setup setup) throws IOException {
        size = setup.plaintextSize();
        ApiClient api = setup.api();
        String instanceId = ApiClient.field(api.call("GetDefaultKmsInstance", Map.of()), "DefaultKmsInstanceId");
        String caPem = ApiClient.field(
                api.call("GetKmsInstance", Map.of("KmsInstanceId", instanceId)),
                "KmsInstance",
                "CaCertificateChainPem");
        target = Endpoint.parse(setup.instanceEndpoint(), trusting(caPem));
        String tag = UUID.randomUUID().toString().substring(0, 8);
        keyId = ApiClient.field(
                api.call(
                        "CreateKey",
                        Map.of(
                                "KeySpec", "Aliyun_AES_256",
                                "KeyUsage", "ENCRYPT/DECRYPT",
                                "DKMSInstanceId", instanceId,
                                "Description", "openkms bench (instance)")),
                "KeyMetadata",
                "KeyId");
        networkRule = "bench-net-" + tag;
        api.call(
                "CreateNetworkRule",
                Map.of(
                        "Name",
                        networkRule,
                        "Type",
                        "Private",
                        "SourcePrivateIp",
                        sourceRange(target.host()),
                        "Description",
                        "openkms bench"));
        policy = "bench-policy-" + tag;
        api.call(
                "CreatePolicy",
                Map.of(
                        "Name",
                        policy,
                        "KmsInstance",
                        instanceId,
                        "Permissions",
                        "[\"RbacPermission/Template/CryptoServiceKeyUser\"]",
                        "Resources",
                        "[\"key/" + keyId + "\"]",
                        "AccessControlRules",
                        "{\"NetworkRules\":[\"" + networkRule + "\"]}"));
        accessPoint = "bench-aap-" + tag;
        api.call(
                "CreateApplicationAccessPoint",
                Map.of("Name", accessPoint, "AuthenticationMethod", "ClientKey", "Policies", "[\"" + policy + "\"]"));
        String password = password();
        JsonNode ck = api.call("CreateClientKey", Map.of("AapName", accessPoint, "Password", password));
        clientKeyId = ApiClient.field(ck, "ClientKeyId");
        clientPrivateKey = privateKey(ApiClient.field(ck, "PrivateKeyData"), password);

        byte[] plaintext = setup.randomBytes(size);
        byte[] encrypt =
                new ProtoWire.Writer().string(1, keyId).bytes(2, plaintext).toByteArray();
        if (!decrypt) {
            body = encrypt;
            return;
        }
        // A ciphertext of the instance API (blob and IV apart), made by one Encrypt on the instance gateway.
        ProtoWire.Message encrypted;
        try (HttpConnection c = new HttpConnection(target, setup.timeoutMillis())) {
            RequestBuffer request = new RequestBuffer();
            write(signed("Encrypt", encrypt, Instant.now()), request);
            int status = c.exchange(request);
            if (status != 200) {
                throw new IOException("instance Encrypt failed with HTTP " + status);
            }
            encrypted = ProtoWire.decode(
                    java.util.Arrays.copyOf(c.response().body(), c.response().bodyLength()));
        } catch (ProtoWire.MalformedException e) {
            throw new IOException("instance Encrypt answered a malformed message", e);
        }
        body = new ProtoWire.Writer()
                .bytes(1, encrypted.bytes(2))
                .string(2, keyId)
                .bytes(5, encrypted.bytes(3))
                .toByteArray();
    }

    @Override
    public LoadRun.RequestWriter writer(SignedRequestEncoder encoder) {
        return (nonces, out) -> {
            long second = System.currentTimeMillis() / 1000;
            Signed s = current.get();
            if (s == null || s.second() != second) {
                s = signed(apiName(), body, Instant.ofEpochSecond(second));
                current.set(s); // threads that raced here signed the same second's bytes: either is right
            }
            write(s, out);
        };
    }

    @Override
    public void cleanup(ApiClient api) throws IOException {
        IOException first = null;
        for (String[] call : new String[][] {
            {"DeleteClientKey", "ClientKeyId", clientKeyId},
            {"DeleteApplicationAccessPoint", "Name", accessPoint},
            {"DeletePolicy", "Name", policy},
            {"DeleteNetworkRule", "Name", networkRule}
        }) {
            if (call[2] == null) {
                continue;
            }
            try {
                api.call(call[0], Map.of(call[1], call[2]));
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (keyId != null) {
            api.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", "7"));
        }
        if (first != null) {
            throw first;
        }
    }

    /** One second's request: head and body as the SDK sends them. */
    record Signed(long second, byte[] bytes) {}

    private Signed signed(String api, byte[] content, Instant at) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/x-protobuf");
        headers.put(InstanceSignature.CONTENT_SHA256, InstanceSignature.contentSha256(content));
        headers.put("date", RFC_1123.format(at));
        headers.put(InstanceSignature.API_NAME, api);
        headers.put(InstanceSignature.API_VERSION_HEADER, InstanceSignature.API_VERSION);
        headers.put(InstanceSignature.SIGNATURE_METHOD_HEADER, InstanceSignature.SIGNATURE_METHOD);
        headers.put(InstanceSignature.ACCESS_KEY_ID, clientKeyId);
        String signature;
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(clientPrivateKey);
            s.update(InstanceSignature.stringToSignBytes("POST", headers));
            signature = Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the ClientKey", e);
        }
        RequestBuffer b = new RequestBuffer(512 + content.length);
        b.ascii("POST / HTTP/1.1").crlf();
        b.header("Host", target.hostHeader());
        b.header("User-Agent", "openkms-bench");
        b.header("Content-Length", Integer.toString(content.length));
        for (Map.Entry<String, String> h : headers.entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        b.header("Authorization", "Bearer " + signature);
        b.crlf();
        b.bytes(content, 0, content.length);
        return new Signed(at.getEpochSecond(), java.util.Arrays.copyOf(b.array(), b.length()));
    }

    private static void write(Signed s, RequestBuffer out) {
        out.reset().bytes(s.bytes(), 0, s.bytes().length);
    }

    /** The network rule's range: the loopback address the bench connects from, or any address for a remote server. */
    private static String sourceRange(String host) throws IOException {
        InetAddress a = InetAddress.getByName(host);
        if (a.isLoopbackAddress()) {
            return a instanceof java.net.Inet6Address ? "[\"::1/128\"]" : "[\"127.0.0.1/32\"]";
        }
        return "[\"0.0.0.0/0\"]"; // the ClientKey exists only in this process and is deleted afterwards
    }

    private static String password() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder("Bench-");
        for (int i = 0; i < 20; i++) {
            sb.append(PASSWORD_CHARS.charAt(r.nextInt(PASSWORD_CHARS.length())));
        }
        return sb.toString();
    }

    private static PrivateKey privateKey(String pkcs12Base64, String password) throws IOException {
        try {
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(new ByteArrayInputStream(Base64.getDecoder().decode(pkcs12Base64)), password.toCharArray());
            return (PrivateKey) p12.getKey(p12.aliases().nextElement(), password.toCharArray());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("the ClientKey's PKCS#12 does not open: " + e.getMessage(), e);
        }
    }

    /** TLS trusting only the instance's CA (GetKmsInstance's CaCertificateChainPem), as the SDK's caFilePath does. */
    private static SSLSocketFactory trusting(String caPem) throws IOException {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca" + i++, (X509Certificate) c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("the instance CA certificate is unreadable: " + e.getMessage(), e);
        }
    }
}
