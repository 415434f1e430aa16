package org.openkms.server.auth;

import org.openkms.core.error.KmsException;

/**
 * Authentication failures with the codes, statuses and wording of Alibaba's gateway
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/common-error-codes-1).
 */
final class AuthErrors {
    private AuthErrors() {}

    static KmsException incompleteSignature(String why) {
        return new KmsException(
                400, "IncompleteSignature", "The request signature does not conform to Aliyun standards. " + why);
    }

    static KmsException signatureDoesNotMatch(String stringToSignOrNull) {
        String msg = "Specified signature is not matched with our calculation.";
        // Echoing the string to sign lets the V1 SDK report SDK.InvalidAccessKeySecret, but an RPC string to sign
        // contains every parameter (Plaintext, SecretData): it is only echoed for ACS3/ACS4, whose is a hash.
        return new KmsException(
                400,
                "SignatureDoesNotMatch",
                stringToSignOrNull == null ? msg : msg + " server string to sign is:" + stringToSignOrNull);
    }

    static KmsException illegalTimestamp() {
        return new KmsException(
                400,
                "IllegalTimestamp",
                "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied, or is out of the allowed 15 minutes.");
    }

    static KmsException nonceUsed() {
        return new KmsException(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }

    /** The replay cache is full: more signed requests arrived within the window than it may remember. */
    static KmsException throttled() {
        return new KmsException(429, "Rejected.Throttling", "QPS Limit Exceeded");
    }

    static KmsException missingNonce() {
        return new KmsException(
                400,
                "MissingParameter",
                "The input parameter \"SignatureNonce\" that is mandatory for processing this request is not supplied.");
    }

    static KmsException unknownAccessKey() {
        return new KmsException(
                404, "InvalidAccessKeyId.NotFound", "The AccessKey ID provided does not exist in our records.");
    }

    static KmsException disabledAccessKey() {
        return new KmsException(403, "Forbidden.AccessKey", "This AccessKey is not enabled.");
    }

    static KmsException securityTokenExpired() {
        return new KmsException(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
    }

    static KmsException securityTokenMalformed() {
        return new KmsException(400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.");
    }

    static KmsException securityTokenMismatch() {
        return new KmsException(
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.");
    }

    /**
     * A ClientKey outside its validity window (NotBefore/NotAfter of CreateClientKey,
     * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-createclientkey):
     * a credential that exists but may not be used now, as a disabled AccessKey.
     */
    static KmsException clientKeyNotValidNow() {
        return new KmsException(403, "Forbidden.AccessKey", "This ClientKey is expired or not yet valid.");
    }

    /** A ClientKey signs only GetSecretValue on the shared gateway; anything else is not permitted. */
    static KmsException clientKeyActionRefused() {
        return new KmsException(
                403,
                "Forbidden.NoPermission",
                "This operation is forbidden by permission system: a ClientKey may only call GetSecretValue here.");
    }
}
