package org.openkms.core.iam;

import java.time.Instant;

/** A RAM role: who may assume it is its trust policy ({@code assumeRolePolicyDocument}). */
public record RamRole(
        String roleId,
        String roleName,
        String description,
        String assumeRolePolicyDocument,
        long maxSessionDuration,
        Instant createDate,
        Instant updateDate) {
    public String arn(String accountUid) {
        return "acs:ram::" + accountUid + ":role/" + roleName.toLowerCase(java.util.Locale.ROOT);
    }
}
