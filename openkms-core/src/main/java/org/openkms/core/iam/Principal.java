package org.openkms.core.iam;

/**
 * Who made a request, as established by signature verification: the account's root, a RAM user (name = user
 * name), or an STS session of an assumed role (name = {@code <roleName>/<sessionName>}).
 */
public record Principal(String type, String name, String accessKeyId) {
    public static final String ROOT = "root";
    public static final String USER = "user";
    public static final String ASSUMED_ROLE = "assumed-role";
    /** An application access point's client key (name = the access point; accessKeyId = the ClientKey id). */
    public static final String CLIENT_KEY = "client-key";
    /**
     * A caller of an action that takes no credentials (STS AssumeRoleWithOIDC); name = its address, accessKeyId =
     * {@code anonymous:<address>} so that rate limits count such callers per address.
     */
    public static final String ANONYMOUS = "anonymous";

    public static Principal anonymous(String sourceIp) {
        String ip = sourceIp == null ? "" : sourceIp;
        return new Principal(ANONYMOUS, ip, "anonymous:" + ip);
    }

    public static Principal user(String userName, String accessKeyId) {
        return new Principal(USER, userName, accessKeyId);
    }

    public static Principal assumedRole(String roleName, String sessionName, String accessKeyId) {
        return new Principal(ASSUMED_ROLE, roleName + "/" + sessionName, accessKeyId);
    }

    public static Principal clientKey(String aapName, String clientKeyId) {
        return new Principal(CLIENT_KEY, aapName, clientKeyId);
    }

    public boolean clientKey() {
        return CLIENT_KEY.equals(type);
    }

    public boolean root() {
        return ROOT.equals(type);
    }

    /** For an assumed-role session: the role's name. */
    public String roleName() {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }

    /** The RAM ARN of this principal, as resource policies and GetCallerIdentity name it. */
    public String arn(String accountUid) {
        return switch (type) {
            case ROOT -> "acs:ram::" + accountUid + ":root";
            case USER -> "acs:ram::" + accountUid + ":user/" + name;
            case CLIENT_KEY -> "acs:kms::" + accountUid + ":aap/" + name;
            default -> "acs:ram::" + accountUid + ":assumed-role/" + name;
        };
    }
}
