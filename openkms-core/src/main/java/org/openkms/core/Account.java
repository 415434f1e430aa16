package org.openkms.core;

/**
 * The account this server serves (one account per deployment) and the region it claims to be. ARNs follow
 * Alibaba's form {@code acs:kms:<region>:<uid>:<type>/<id>}.
 */
public record Account(String uid, String region) {
    public String keyArn(String keyId) {
        return "acs:kms:" + region + ":" + uid + ":key/" + keyId;
    }

    public String secretArn(String secretName) {
        return "acs:kms:" + region + ":" + uid + ":secret/" + secretName;
    }

    public String aliasArn(String aliasName) {
        return "acs:kms:" + region + ":" + uid + ":" + aliasName;
    }

    public String arnPrefix() {
        return "acs:kms:" + region + ":" + uid + ":";
    }
}
