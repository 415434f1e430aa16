package org.openkms.agent;

import java.util.List;

/**
 * One secret version as GetSecretValue returns it, plus the ARN DescribeSecret gives (GetSecretValue has none; the AWS
 * response format needs it). Fields are null when the server left them out.
 */
public record SecretValue(
        String secretName,
        String arn,
        String versionId,
        List<String> versionStages,
        String createTime,
        String secretData,
        String secretDataType,
        String secretType,
        String automaticRotation,
        String extendedConfig,
        String rotationInterval,
        String nextRotationDate,
        String lastRotationDate) {

    /** No secret value in logs or exception texts: toString names the version only. */
    @Override
    public String toString() {
        return "SecretValue[" + secretName + "/" + versionId + "]";
    }
}
