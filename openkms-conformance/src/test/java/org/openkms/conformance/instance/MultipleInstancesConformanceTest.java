package org.openkms.conformance.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.dkms.gcs.openapi.models.Config;
import com.aliyun.dkms.gcs.sdk.Client;
import com.aliyun.dkms.gcs.sdk.models.DecryptRequest;
import com.aliyun.dkms.gcs.sdk.models.EncryptRequest;
import com.aliyun.dkms.gcs.sdk.models.EncryptResponse;
import com.aliyun.kms20160120.models.ConnectKmsInstanceRequest;
import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.GetKmsInstanceRequest;
import com.aliyun.kms20160120.models.GetKmsInstanceResponseBody;
import com.aliyun.kms20160120.models.ListKmsInstancesRequest;
import com.aliyun.kms20160120.models.ListKmsInstancesResponseBody;
import com.aliyun.tea.TeaException;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.conformance.ApiException;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.V2Api;
import org.openkms.server.config.InstanceListener;
import org.openkms.server.config.ServerConfig;

/**
 * Two configured KMS instances served at once, each on its own port with its own CA, driven by the official
 * Instance SDK ({@code com.aliyun:alibabacloud-dkms-gcs-sdk} 0.5.2) with ClientKeys made through the V2 SDK: keys
 * are created in each instance (CreateKey with DKMSInstanceId), each gateway serves only its own instance's keys,
 * a ClientKey whose policy names one instance is refused on the other's port, a restart binds the same instance
 * (id, CA, keys) to the same label and port, and an instance dropped from the configuration is kept but not served.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultipleInstancesConformanceTest {
    private static final String PASSWORD = "Multi-Inst4nce-pw";

    @TempDir
    static Path dir;

    static ServerConfig config;
    static ConformanceServer server;
    static V2Api root;
    static int portA;
    static int portB;
    static String idA;
    static String idB;
    static Path caA;
    static Path caB;
    static String keyA;
    static String keyB;
    static AccessPointFixture.Issued clientKeyA;
    static AccessPointFixture.Issued clientKeyB;
    /** A ciphertext of keyA made before the restart, with its IV. */
    static EncryptResponse before;

    @BeforeAll
    static void start() throws Exception {
        portA = freePort();
        portB = freePort();
        config = ConformanceServer.config(dir.resolve("data"))
                .withInstanceListen("127.0.0.1:0")
                .withInstances(List.of(
                        new InstanceListener("team-a", "127.0.0.1:" + portA, List.of("a.kms.example.test")),
                        new InstanceListener("team-b", "127.0.0.1:" + portB, List.of())));
        server = ConformanceServer.start(config);
        root = server.v2();
        idA = server.server().instanceId("team-a");
        idB = server.server().instanceId("team-b");
        caA = dir.resolve("ca-a.pem");
        caB = dir.resolve("ca-b.pem");
        Files.writeString(caA, getKmsInstance(idA).getCaCertificateChainPem());
        Files.writeString(caB, getKmsInstance(idB).getCaCertificateChainPem());
        keyA = createKey(idA);
        keyB = createKey(idB);
        // Each policy covers both keys: only the instance scope and the gateway's own instance tell them apart.
        List<String> both = List.of("key/" + keyA, "key/" + keyB);
        clientKeyA = AccessPointFixture.issue(root, idA, List.of(AccessPointFixture.KEY_USER), both, PASSWORD);
        clientKeyB = AccessPointFixture.issue(root, idB, List.of(AccessPointFixture.KEY_USER), both, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void everyInstanceIsListedWithItsOwnCaAndName() {
        String defaultId = server.server().instanceId();
        assertThat(List.of(idA, idB, defaultId)).doesNotHaveDuplicates();
        var c = root.client();
        ListKmsInstancesResponseBody list = root.call(() -> c.listKmsInstances(new ListKmsInstancesRequest()))
                .getBody();
        assertThat(list.getKmsInstances().getKmsInstance())
                .extracting(i -> i.getKmsInstanceId())
                .containsExactlyInAnyOrder(defaultId, idA, idB);
        var a = getKmsInstance(idA);
        var b = getKmsInstance(idB);
        assertThat(a.getInstanceName()).isEqualTo("team-a");
        assertThat(b.getInstanceName()).isEqualTo("team-b");
        assertThat(a.getStatus()).isEqualTo("InUse");
        assertThat(a.getCaCertificateChainPem())
                .isEqualTo(server.server().instanceCaPem("team-a"))
                .isNotEqualTo(b.getCaCertificateChainPem())
                .isNotEqualTo(server.server().instanceCaPem());
        assertThat(a.getKeyNum()).isEqualTo(1L);
        assertThat(b.getKeyNum()).isEqualTo(1L);
        // The default instance stays the default.
        assertThat(rpc("GetDefaultKmsInstance").get("DefaultKmsInstanceId")).isEqualTo(defaultId);
        assertThat(server.server().instancePort("team-a")).isEqualTo(portA);
        assertThat(server.server().instancePort("team-b")).isEqualTo(portB);
    }

    @Test
    @Order(2)
    void eachPortPresentsItsOwnInstancesCertificate() throws Exception {
        X509Certificate leafA = handshake(portA, caA);
        assertThat(leafA.getSubjectAlternativeNames())
                .extracting(n -> n.get(1).toString())
                .contains(idA + ".cryptoservice.kms.aliyuncs.com", "a.kms.example.test", "127.0.0.1");
        assertThat(handshake(portB, caB).getSubjectAlternativeNames())
                .extracting(n -> n.get(1).toString())
                .contains(idB + ".cryptoservice.kms.aliyuncs.com");
        // A's CA does not vouch for B's gateway, nor B's for A's.
        assertThat(catchThrowable(() -> handshake(portB, caA))).isInstanceOf(SSLHandshakeException.class);
        assertThat(catchThrowable(() -> handshake(portA, caB))).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    @Order(3)
    void eachInstanceEncryptsAndDecryptsOnItsOwnPort() throws Exception {
        Client a = sdk(portA, caA, clientKeyA);
        Client b = sdk(portB, caB, clientKeyB);
        before = a.encrypt(new EncryptRequest().setKeyId(keyA).setPlaintext(bytes("for team a")));
        assertThat(text(a.decrypt(new DecryptRequest()
                                .setKeyId(keyA)
                                .setCiphertextBlob(before.getCiphertextBlob())
                                .setIv(before.getIv()))
                        .getPlaintext()))
                .isEqualTo("for team a");
        var encB = b.encrypt(new EncryptRequest().setKeyId(keyB).setPlaintext(bytes("for team b")));
        assertThat(text(b.decrypt(new DecryptRequest()
                                .setKeyId(keyB)
                                .setCiphertextBlob(encB.getCiphertextBlob())
                                .setIv(encB.getIv()))
                        .getPlaintext()))
                .isEqualTo("for team b");
    }

    @Test
    @Order(4)
    void aKeyOfTheOtherInstanceIsNotFoundOnThisPort() throws Exception {
        Client a = sdk(portA, caA, clientKeyA);
        Client b = sdk(portB, caB, clientKeyB);
        assertThat(code(() -> a.encrypt(new EncryptRequest().setKeyId(keyB).setPlaintext(bytes("x")))))
                .isEqualTo("Forbidden.KeyNotFound");
        assertThat(code(() -> b.encrypt(new EncryptRequest().setKeyId(keyA).setPlaintext(bytes("x")))))
                .isEqualTo("Forbidden.KeyNotFound");
    }

    @Test
    @Order(5)
    void aClientKeyWhosePolicyNamesOneInstanceIsRefusedOnTheOther() throws Exception {
        // A's ClientKey on B's port (B's CA, B's key): its policy is scoped to instance A, so it grants nothing here.
        Client aOnB = sdk(portB, caB, clientKeyA);
        assertThat(code(() -> aOnB.encrypt(new EncryptRequest().setKeyId(keyB).setPlaintext(bytes("x")))))
                .isEqualTo("Forbidden.NoPermission");
        Client bOnA = sdk(portA, caA, clientKeyB);
        assertThat(code(() -> bOnA.encrypt(new EncryptRequest().setKeyId(keyA).setPlaintext(bytes("x")))))
                .isEqualTo("Forbidden.NoPermission");
    }

    @Test
    @Order(6)
    void aRestartBindsTheSameInstancesToTheSameLabelsAndPorts() throws Exception {
        String caPemA = server.server().instanceCaPem("team-a");
        server.close();
        server = ConformanceServer.start(config);
        root = server.v2();
        assertThat(server.server().instanceId("team-a")).isEqualTo(idA);
        assertThat(server.server().instanceId("team-b")).isEqualTo(idB);
        assertThat(server.server().instancePort("team-a")).isEqualTo(portA);
        assertThat(getKmsInstance(idA).getCaCertificateChainPem()).isEqualTo(caPemA);
        assertThat(handshake(portA, caA)).isNotNull();
        Client a = sdk(portA, caA, clientKeyA);
        assertThat(text(a.decrypt(new DecryptRequest()
                                .setKeyId(keyA)
                                .setCiphertextBlob(before.getCiphertextBlob())
                                .setIv(before.getIv()))
                        .getPlaintext()))
                .isEqualTo("for team a");
        assertThat(root.call(() -> root.client().listKmsInstances(new ListKmsInstancesRequest()))
                        .getBody()
                        .getKmsInstances()
                        .getKmsInstance())
                .hasSize(3);
    }

    @Test
    @Order(7)
    void anInstanceDroppedFromTheConfigurationIsKeptButNotServed() throws Exception {
        server.close();
        server = ConformanceServer.start(
                config.withInstances(List.of(config.instances().get(0))));
        root = server.v2();
        var c = root.client();
        assertThat(root.call(() -> c.listKmsInstances(new ListKmsInstancesRequest()))
                        .getBody()
                        .getKmsInstances()
                        .getKmsInstance())
                .extracting(i -> i.getKmsInstanceId())
                .contains(idA, idB);
        assertThat(getKmsInstance(idB).getStatus()).isEqualTo("Disconnected");
        assertThat(getKmsInstance(idA).getStatus()).isEqualTo("InUse");
        assertThat(catchThrowable(() -> new Socket(InetAddress.getLoopbackAddress(), portB).close()))
                .isNotNull();
        // Its keys are kept and still serve on the shared gateway, as every instance's keys do.
        var enc = root.call(() -> c.encrypt(new com.aliyun.kms20160120.models.EncryptRequest()
                        .setKeyId(keyB)
                        .setPlaintext("c3RpbGwgaGVyZQ==")))
                .getBody();
        assertThat(enc.getKeyId()).isEqualTo(keyB);
        // Connecting it through the API cannot serve it: the configuration does.
        ApiException refused =
                (ApiException) catchThrowable(() -> root.call(() -> c.connectKmsInstance(new ConnectKmsInstanceRequest()
                        .setKmsInstanceId(idB)
                        .setKMProvider("Aliyun")
                        .setVpcId("vpc-bp1example")
                        .setVSwitchIds("vsw-bp1a")
                        .setZoneIds("cn-hangzhou-k"))));
        assertThat(refused.code()).isEqualTo("Forbidden.DKMSInstanceStateInvalid");
        assertThat(refused.getMessage()).contains("team-b");
        // Listing it again in the configuration serves the same instance again.
        server.close();
        server = ConformanceServer.start(config);
        root = server.v2();
        assertThat(server.server().instanceId("team-b")).isEqualTo(idB);
        assertThat(getKmsInstance(idB).getStatus()).isEqualTo("InUse");
    }

    // ---- helpers

    /** An action newer than the V2 SDK version used here, through its generic callApi (as the SDK calls any). */
    private static Map<String, Object> rpc(String action) {
        return root.rpc(action, "2016-01-20", Map.of());
    }

    private static GetKmsInstanceResponseBody.GetKmsInstanceResponseBodyKmsInstance getKmsInstance(String id) {
        var c = root.client();
        return root.call(() -> c.getKmsInstance(new GetKmsInstanceRequest().setKmsInstanceId(id)))
                .getBody()
                .getKmsInstance();
    }

    private static String createKey(String instanceId) {
        var c = root.client();
        return root.call(() -> c.createKey(new CreateKeyRequest()
                        .setKeySpec("Aliyun_AES_256")
                        .setKeyUsage("ENCRYPT/DECRYPT")
                        .setDKMSInstanceId(instanceId)))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
    }

    /** The Instance SDK as an application configures it; tea caches one HTTP client per port, so one CA per port. */
    private static Client sdk(int port, Path ca, AccessPointFixture.Issued clientKey) throws Exception {
        return new Client(new Config()
                .setProtocol("https")
                .setEndpoint("127.0.0.1:" + port)
                .setClientKeyContent(clientKey.clientKeyJson())
                .setPassword(PASSWORD)
                .setCaFilePath(ca.toString()));
    }

    /** A TLS handshake trusting only {@code ca}'s certificates; answers the server's certificate. */
    private static X509Certificate handshake(int port, Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int n = 0;
        for (var cert : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(ca)))) {
            trust.setCertificateEntry("ca" + n++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The ErrorCode the SDK raised (TeaException, possibly wrapped by its retry loop). */
    private static String code(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof TeaException te) {
                return te.getCode();
            }
        }
        throw new AssertionError("expected an error from the server, got " + t, t);
    }
}
