package org.openkms.core.auth;

/**
 * Who made a request, as established by signature verification. Today every AccessKey belongs to the
 * account's root principal; RAM users, roles and STS sessions will be further {@code type}s.
 */
public record Principal(String type, String name, String accessKeyId) {
    public static final String ROOT = "root";

    public boolean root() {
        return ROOT.equals(type);
    }
}
