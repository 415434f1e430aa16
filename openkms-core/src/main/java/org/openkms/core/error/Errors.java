package org.openkms.core.error;

/**
 * The error catalogue
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/common-error-codes-1 and the
 * error table of each action's reference page): one factory per code, so the wording and HTTP status of a code are
 * decided in one place.
 */
public final class Errors {
    private Errors() {}

    public static KmsException missingParameter(String name) {
        return new KmsException(
                400,
                "MissingParameter",
                "The input parameter \"" + name + "\" that is mandatory for processing this request is not supplied.");
    }

    public static KmsException invalidParameter(String name, String why) {
        return new KmsException(
                400, "InvalidParameter", "The specified parameter \"" + name + "\" is not valid. " + why);
    }

    public static KmsException invalidParameter(String message) {
        return new KmsException(400, "InvalidParameter", message);
    }

    public static KmsException keyNotFound() {
        return new KmsException(404, "Forbidden.KeyNotFound", "The specified Key is not found.");
    }

    public static KmsException keyVersionNotFound() {
        return new KmsException(404, "Forbidden.KeyVersionNotFound", "The specified KeyVersion is not found.");
    }

    public static KmsException aliasNotFound() {
        return new KmsException(404, "Forbidden.AliasNotFound", "The specified Alias is not found.");
    }

    public static KmsException resourceNotFound() {
        return new KmsException(404, "Forbidden.ResourceNotFound", "The specified resource is not found.");
    }

    public static KmsException aliasAlreadyExists() {
        return new KmsException(400, "AliasAlreadyExists", "The specified Alias is already exists.");
    }

    public static KmsException disabled() {
        return new KmsException(409, "Rejected.Disabled", "The request is rejected because the key is disabled.");
    }

    public static KmsException pendingDeletion() {
        return new KmsException(
                409, "Rejected.PendingDeletion", "The request is rejected because the key is pending deletion.");
    }

    public static KmsException pendingImport() {
        return new KmsException(
                409,
                "Rejected.PendingImport",
                "The request is rejected because the key is pending import of key material.");
    }

    public static KmsException stateModifiedFailed(String state) {
        return new KmsException(
                409, "Rejected.StateModifiedFailed", "The key state cannot be changed from " + state + ".");
    }

    public static KmsException deletionProtected() {
        return new KmsException(
                409,
                "Rejected.DeletionProtection",
                "The key is protected against deletion: disable deletion protection first.");
    }

    public static KmsException unsupportedOperation(String why) {
        return new KmsException(400, "Rejected.UnsupportedOperation", "This operation is not supported. " + why);
    }

    public static KmsException decryptUnsupported(String why) {
        return new KmsException(400, "UnsupportedOperation", "This operation is not supported. " + why);
    }

    public static KmsException limitExceeded(String what) {
        return new KmsException(400, "Rejected.LimitExceeded", "The quota is exceeded: " + what + ".");
    }

    public static KmsException invalidCiphertext() {
        return new KmsException(
                400,
                "InvalidParameter",
                "The specified parameter \"CiphertextBlob\" is not valid: the ciphertext is malformed, or it does not match the EncryptionContext.");
    }

    public static KmsException dryRun() {
        return new KmsException(400, "DryRunOperationError", "Request would have succeeded, but DryRun flag is set.");
    }

    public static KmsException forbiddenOpened() {
        return new KmsException(400, "Forbidden.Opened", "The KMS service is already opened for this account.");
    }

    public static KmsException invalidKeyMaterial(String why) {
        return new KmsException(400, "InvalidKeyMaterial", "The key material is invalid. " + why);
    }

    public static KmsException invalidImportToken() {
        return new KmsException(400, "InvalidImportToken", "The specified ImportToken is invalid.");
    }

    public static KmsException expiredImportToken() {
        return new KmsException(400, "ExpiredImportToken", "The specified ImportToken has expired.");
    }

    public static KmsException unsupportedOrigin() {
        return new KmsException(
                400, "Unsupported.Origin", "This operation is only supported for keys whose Origin is EXTERNAL.");
    }

    public static KmsException resourceExist(String what) {
        return new KmsException(409, "Rejected.ResourceExist", "The resource already exists: " + what + ".");
    }

    public static KmsException resourceInDeleteWindow() {
        return new KmsException(
                409,
                "Rejected.ResourceInDeleteWindow",
                "The request is rejected because the secret is scheduled for deletion; restore it first.");
    }

    /** A managed secret's rotation failed; the old value stays current. The reason never contains a secret. */
    public static KmsException rotationFailed(String reason) {
        return new KmsException(
                409,
                "Rejected.RotationFailed",
                "The secret was not rotated, its current value is unchanged: " + reason);
    }

    /** Concurrent writers kept colliding on one resource (several nodes); retryable. */
    public static KmsException conflict() {
        return new KmsException(
                503, "ServiceUnavailableTemporary", "The resource is being modified concurrently; retry the request.");
    }

    /**
     * The audit log cannot be written and the server is configured to fail closed (audit.failClosed): the call
     * is refused before it is executed, so that nothing happens without its audit record. Retryable.
     */
    public static KmsException auditUnavailable() {
        return new KmsException(
                503, "ServiceUnavailableTemporary", "The audit log cannot be written; the request was refused.");
    }

    /**
     * What DryRun reports instead of the parameter error it found (the V2 SDK's DryRun text,
     * github.com/aliyun/alibabacloud-java-sdk, kms-20160120).
     */
    public static KmsException dryRunValidation(KmsException cause) {
        return new KmsException(400, "ValidationError", cause.getMessage());
    }

    public static KmsException internal() {
        return new KmsException(500, "InternalFailure", "The request processing has failed due to some unknown error.");
    }
}
