package org.openkms.conformance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyun.kms20160120.models.CreateKeyRequest;
import com.aliyun.kms20160120.models.DescribeKeyRequest;
import com.aliyun.ram20150501.models.AttachPolicyToUserRequest;
import com.aliyun.ram20150501.models.CreateAccessKeyRequest;
import com.aliyun.ram20150501.models.CreatePolicyRequest;
import com.aliyun.ram20150501.models.CreateUserRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.Client;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teautil.models.RuntimeOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openkms.conformance.ConformanceServer;
import org.openkms.conformance.GenericCalls;
import org.openkms.conformance.SharedServer;

/**
 * ActionTrail LookupEvents (2020-07-06) over the server's audit log, called through the official V2 SDK's generic
 * {@code callApi} as any ActionTrail client would: events of the caller's calls appear, filtered by resource,
 * action, AccessKey and outcome, page by page; RAM decides who may read them; no secret is in them.
 * https://www.alibabacloud.com/help/en/actiontrail/developer-reference/api-actiontrail-2020-07-06-lookupevents
 */
@ExtendWith(SharedServer.class)
class LookupEventsConformanceTest {
    private final ConformanceServer server;

    LookupEventsConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    private Client client(String ak, String sk) throws Exception {
        return new Client(new Config()
                .setAccessKeyId(ak)
                .setAccessKeySecret(sk)
                .setEndpoint("127.0.0.1:" + server.httpPort())
                .setRegionId(ConformanceServer.REGION)
                .setProtocol("http"));
    }

    private Client root() throws Exception {
        return client(ConformanceServer.ACCESS_KEY_ID, ConformanceServer.ACCESS_KEY_SECRET);
    }

    private static Map<String, Object> lookup(Client c, Map<String, String> query) throws Exception {
        return GenericCalls.body(c.callApi(
                GenericCalls.rpc("LookupEvents", "2020-07-06", false),
                new OpenApiRequest().setQuery(query),
                new RuntimeOptions()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("Events");
    }

    private static Map<String, String> by(String... keyValues) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            q.put("LookupAttribute." + (i / 2 + 1) + ".Key", keyValues[i]);
            q.put("LookupAttribute." + (i / 2 + 1) + ".Value", keyValues[i + 1]);
        }
        return q;
    }

    @Test
    @SuppressWarnings("unchecked")
    void eventsOfAKeyNewestFirstWithFiltersAndPaging() throws Exception {
        var kms = server.v2().client();
        String keyId = kms.createKey(new CreateKeyRequest().setDescription("trail"))
                .getBody()
                .getKeyMetadata()
                .getKeyId();
        for (int i = 0; i < 3; i++) {
            kms.describeKey(new DescribeKeyRequest().setKeyId(keyId));
        }
        // A failed call on the same key: its error code is recorded.
        try {
            kms.describeKey(new DescribeKeyRequest().setKeyId(keyId + "-missing"));
        } catch (TeaException expected) {
            // Forbidden.KeyNotFound
        }
        Client c = root();
        // The audit log is written in the background: wait for the last record.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(events(lookup(c, by("ResourceName", keyId)))).hasSize(4));
        List<Map<String, Object>> all = events(lookup(c, by("ResourceName", keyId)));
        assertThat(all)
                .extracting(e -> e.get("eventName"))
                .containsExactly("DescribeKey", "DescribeKey", "DescribeKey", "CreateKey");
        Map<String, Object> first = all.get(0);
        assertThat(first.get("serviceName")).isEqualTo("Kms");
        assertThat(first.get("resourceName")).asString().endsWith("key/" + keyId);
        assertThat(first.get("resourceType")).isEqualTo("ACS::KMS::Key");
        assertThat(first.get("eventTime")).asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        Map<String, Object> identity = (Map<String, Object>) first.get("userIdentity");
        assertThat(identity.get("type")).isEqualTo("root-account");
        assertThat(identity.get("accessKeyId")).isEqualTo(ConformanceServer.ACCESS_KEY_ID);

        // Several attributes all apply.
        assertThat(events(lookup(c, by("ResourceName", keyId, "EventName", "CreateKey"))))
                .extracting(e -> e.get("eventName"))
                .containsExactly("CreateKey");
        assertThat(events(lookup(
                        c, by("EventName", "DescribeKey", "ResourceName", keyId, "EventAccessKeyId", "LTAInobody"))))
                .isEmpty();
        // Outcome: the failed call, by its code.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(events(lookup(
                                c, by("ResourceName", keyId + "-missing", "ErrorCode", "Forbidden.KeyNotFound"))))
                        .singleElement()
                        .satisfies(e -> assertThat(e.get("errorCode")).isEqualTo("Forbidden.KeyNotFound")));

        // One at a time with NextToken: the same events, in the same order.
        Map<String, String> q = by("ResourceName", keyId);
        q.put("MaxResults", "1");
        StringBuilder order = new StringBuilder();
        for (int page = 0; page < 10; page++) {
            Map<String, Object> body = lookup(c, q);
            assertThat(events(body)).hasSizeLessThanOrEqualTo(1);
            events(body).forEach(e -> order.append(e.get("eventName")).append(','));
            if (body.get("NextToken") == null
                    || body.get("NextToken").toString().isEmpty()) {
                break;
            }
            q.put("NextToken", body.get("NextToken").toString());
        }
        assertThat(order.toString()).isEqualTo("DescribeKey,DescribeKey,DescribeKey,CreateKey,");

        // A time range that ends before the calls finds none of them.
        Map<String, String> past = by("ResourceName", keyId);
        past.put("StartTime", "2020-01-01T00:00:00Z");
        past.put("EndTime", "2020-01-02T00:00:00Z");
        Map<String, Object> none = lookup(c, past);
        assertThat(events(none)).isEmpty();
        assertThat(none.get("StartTime")).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(none.get("RequestId")).asString().isNotEmpty();
    }

    @Test
    void badParametersAreInvalidParameter() throws Exception {
        Client c = root();
        assertThat(error(() -> lookup(c, Map.of("MaxResults", "51")))).contains("InvalidParameter");
        assertThat(error(() -> lookup(c, Map.of("NextToken", "not-a-token")))).contains("InvalidParameter");
        assertThat(error(() -> lookup(c, Map.of("StartTime", "yesterday")))).contains("InvalidParameter");
        assertThat(error(() -> lookup(c, by("Colour", "blue")))).contains("InvalidParameter");
        assertThat(error(() ->
                        lookup(c, Map.of("StartTime", "2021-01-02T00:00:00Z", "EndTime", "2021-01-01T00:00:00Z"))))
                .contains("InvalidParameter");
    }

    @Test
    void ramDecidesWhoMayReadTheTrailAndNoSecretIsInIt() throws Exception {
        var ram = new com.aliyun.ram20150501.Client(new Config()
                .setAccessKeyId(ConformanceServer.ACCESS_KEY_ID)
                .setAccessKeySecret(ConformanceServer.ACCESS_KEY_SECRET)
                .setEndpoint("127.0.0.1:" + server.httpPort())
                .setRegionId(ConformanceServer.REGION)
                .setProtocol("http"));
        String user = "trail-" + UUID.randomUUID().toString().substring(0, 8);
        ram.createUser(new CreateUserRequest().setUserName(user));
        var ak = ram.createAccessKey(new CreateAccessKeyRequest().setUserName(user))
                .getBody()
                .getAccessKey();
        Client asUser = client(ak.getAccessKeyId(), ak.getAccessKeySecret());
        assertThat(error(() -> lookup(asUser, Map.of()))).contains("NoPermission");

        String policy = "trail-read-" + user;
        ram.createPolicy(new CreatePolicyRequest()
                .setPolicyName(policy)
                .setPolicyDocument("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"actiontrail:LookupEvents\",\"Resource\":\"*\"}]}"));
        ram.attachPolicyToUser(new AttachPolicyToUserRequest()
                .setPolicyType("Custom")
                .setPolicyName(policy)
                .setUserName(user));
        // The refusal above and the AccessKey's creation are in the trail; the secrets are not.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> body = lookup(asUser, by("EventAccessKeyId", ak.getAccessKeyId()));
            assertThat(events(body)).extracting(e -> e.get("eventName")).contains("LookupEvents");
        });
        // (The root's RAM calls name no resource in the record: they are not resolved for authorisation.)
        Map<String, Object> created = lookup(asUser, by("EventName", "CreateAccessKey"));
        assertThat(events(created)).isNotEmpty();
        String everything = lookup(asUser, Map.of("MaxResults", "50")).toString();
        assertThat(everything)
                .doesNotContain(ak.getAccessKeySecret())
                .doesNotContain(ConformanceServer.ACCESS_KEY_SECRET);
    }

    private static String error(java.util.concurrent.Callable<?> call) {
        try {
            call.call();
            return "no error";
        } catch (TeaException e) {
            return e.getCode() + " " + e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
