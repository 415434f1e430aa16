package org.openkms.core.iam;

import java.util.Locale;
import org.openkms.core.error.KmsException;

/** RAM and STS error codes with the statuses Alibaba's RAM/STS endpoints answer (EntityNotExist.* 404, …). */
public final class IamErrors {
    private IamErrors() {}

    public static KmsException notExist(String entity, String name) {
        return new KmsException(
                404,
                "EntityNotExist." + entity,
                "The " + entity.toLowerCase(Locale.ROOT) + " does not exist: " + name + ".");
    }

    public static KmsException alreadyExists(String entity, String name) {
        return new KmsException(
                409,
                "EntityAlreadyExists." + entity,
                "The " + entity.toLowerCase(Locale.ROOT) + " already exists: " + name + ".");
    }

    public static KmsException deleteConflict(String what, String message) {
        return new KmsException(409, "DeleteConflict." + what, message);
    }

    public static KmsException malformedPolicy(String why) {
        return new KmsException(400, "MalformedPolicyDocument", "The policy document is malformed: " + why);
    }

    public static KmsException limitExceeded(String what, String message) {
        return new KmsException(409, "LimitExceeded." + what, message);
    }

    public static KmsException invalidParameter(String name, String why) {
        return new KmsException(400, "InvalidParameter." + name, why);
    }

    /** RAM and STS say NoPermission; KMS says Forbidden.NoPermission (same status). */
    public static KmsException noPermission(String code) {
        return new KmsException(
                403, code, "You are not authorized to do this action. You should be authorized by RAM.");
    }
}
