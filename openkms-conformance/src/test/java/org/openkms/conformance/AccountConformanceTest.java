package org.openkms.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openkms.conformance.Conformance.expectError;

import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teaopenapi.models.Params;
import com.aliyun.teautil.models.RuntimeOptions;
import com.aliyuncs.CommonRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Account and region calls
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-describeaccountkmsstatus
 * and siblings): DescribeRegions, DescribeAccountKmsStatus, OpenKmsService — plus how an operation the server does not
 * know is answered.
 */
@ExtendWith(SharedServer.class)
class AccountConformanceTest {
    private static final String SDKS = "org.openkms.conformance.SharedServer#sdks";

    private final ConformanceServer server;

    AccountConformanceTest(ConformanceServer server) {
        this.server = server;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void describeRegionsListsTheServerRegion(KmsApi sdk) {
        List<String> regions = sdk.describeRegions();
        assertThat(regions).containsExactly(ConformanceServer.REGION);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void describeAccountKmsStatusIsEnabled(KmsApi sdk) {
        assertThat(sdk.describeAccountKmsStatus()).isEqualTo("Enabled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(SDKS)
    void openKmsServiceAnswersAlreadyOpened(KmsApi sdk) {
        expectError("Forbidden.Opened", 400, sdk::openKmsService);
        // And nothing changed.
        assertThat(sdk.describeAccountKmsStatus()).isEqualTo("Enabled");
    }

    @Test
    void unknownOperationThroughTheV2GenericCall() {
        V2Api v2 = server.v2();
        Params params = GenericCalls.rpc("NoSuchOperation", "2016-01-20", true);
        ApiException e = expectError(
                "InvalidAction.NotFound",
                404,
                () -> v2.call(() -> v2.client().callApi(params, new OpenApiRequest(), new RuntimeOptions())));
        assertThat(e.rawBody()).contains("InvalidAction.NotFound");
    }

    @Test
    void unknownOperationThroughTheV1CommonRequest() throws Exception {
        V1Api v1 = server.v1();
        CommonRequest common = new CommonRequest();
        common.setDomain("127.0.0.1:" + server.httpPort());
        common.setProtocol(ProtocolType.HTTP);
        common.setMethod(MethodType.POST);
        common.setVersion("2016-01-20");
        common.setAction("NoSuchOperation");
        common.setRegionId(ConformanceServer.REGION);
        v1.forgetLastAnswer();
        try {
            v1.client().getCommonResponse(common);
            throw new AssertionError("NoSuchOperation succeeded");
        } catch (ClientException e) {
            assertThat(e.getErrCode()).isEqualTo("InvalidAction.NotFound");
            assertThat(e.getRequestId()).isNotBlank();
            // Status, type and body of the answer the SDK read the error from (not of a second request).
            ApiException error = v1.error(e);
            assertThat(error.status()).isEqualTo(404);
            assertThat(error.requestId()).isEqualTo(e.getRequestId());
            assertThat(error.rawBody()).contains("\"Code\":\"InvalidAction.NotFound\"");
            assertThat(v1.lastAnswer().getHeaderValue("Content-Type")).startsWith("application/json");
        }
    }
}
