package org.openkms.core.secret;

import java.util.regex.Pattern;
import org.openkms.core.error.Errors;

/**
 * Validation of secret names, version IDs and stage labels
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createsecret).
 */
public final class SecretNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_/+=.@-]{1,192}");
    private static final Pattern VERSION_ID = Pattern.compile("[\\x21-\\x7e]{1,64}");
    /** Labels are stored comma-separated, so the alphabet excludes the comma (and anything exotic). */
    private static final Pattern STAGE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private SecretNames() {}

    public static void checkName(String name, SecretType type) {
        if (!NAME.matcher(name).matches()) {
            throw Errors.invalidParameter(
                    "SecretName", "It must be 1 to 192 characters of letters, digits and _/+=.@-.");
        }
        if (name.startsWith("acs/") && type != SecretType.RAMCredentials && type != SecretType.ECS) {
            throw Errors.invalidParameter(
                    "SecretName", "Names starting with acs/ are reserved for cloud-service secrets.");
        }
    }

    public static void checkVersionId(String versionId) {
        if (!VERSION_ID.matcher(versionId).matches()) {
            throw Errors.invalidParameter("VersionId", "It must be 1 to 64 printable ASCII characters without spaces.");
        }
    }

    public static void checkStage(String name, String stage) {
        if (stage == null || !STAGE.matcher(stage).matches()) {
            throw Errors.invalidParameter(name, "A version stage is 1 to 64 letters, digits, _ . or -.");
        }
    }
}
