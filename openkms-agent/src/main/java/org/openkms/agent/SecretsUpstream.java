package org.openkms.agent;

/**
 * Where the agent reads secrets: the KMS OpenAPI of a shared gateway or instance endpoint signed with Alibaba
 * credentials ({@link OpenApiSecretsUpstream}), or a KMS instance's own API with a ClientKey
 * ({@link InstanceSecretsUpstream}).
 */
interface SecretsUpstream {
    /** What the freshness check needs from DescribeSecret. */
    record Description(String arn, String updateTime) {
        /** For an endpoint that cannot describe: nothing known, so an expired value is always fetched again. */
        static final Description UNKNOWN = new Description(null, null);
    }

    /**
     * DescribeSecret, or {@link Description#UNKNOWN} where the endpoint has no such call (a KMS instance's API serves
     * GetSecretValue only).
     */
    Description describe(String secretName) throws UpstreamException;

    SecretValue get(String secretName, String versionId, String versionStage, String arn) throws UpstreamException;

    /** Whether {@link #describe} asks the endpoint; when it does not, the cache skips the freshness check. */
    default boolean describes() {
        return true;
    }
}
