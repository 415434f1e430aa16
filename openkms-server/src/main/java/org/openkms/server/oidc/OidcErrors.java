package org.openkms.server.oidc;

import org.openkms.core.error.KmsException;

/**
 * STS's answers to a refused AssumeRoleWithOIDC, codes and messages as Alibaba lists them
 * (https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes): all HTTP 401.
 */
public final class OidcErrors {
    private OidcErrors() {}

    public static KmsException invalid(String message) {
        return new KmsException(401, "AuthenticationFail.OIDCToken.Invalid", message);
    }

    public static KmsException expired() {
        return new KmsException(401, "AuthenticationFail.OIDCToken.Expired", "This JsonWebToken is expired.");
    }

    public static KmsException issuedTooLongAgo(int hours) {
        return new KmsException(
                401,
                "AuthenticationFail.OIDCToken.Expired",
                "This JsonWebToken was issued more than " + hours + " hours ago (the provider's IssuanceLimitTime).");
    }

    public static KmsException invalidSignature() {
        return new KmsException(
                401, "AuthenticationFail.OIDCToken.InvalidSignature", "OIDC token validate failed: invalid signature.");
    }

    public static KmsException audienceNotMatch() {
        return new KmsException(401, "AuthenticationFail.OIDCToken.AudienceNotMatch", "Invalid audience.");
    }

    public static KmsException issuerNotMatch() {
        return new KmsException(
                401,
                "AuthenticationFail.OIDCToken.IssuerNotMatch",
                "The issuer in the OIDC Token doesn't match the OIDC Provider registered.");
    }

    public static KmsException issuerConfigurationBroken(String issuer) {
        return new KmsException(
                401,
                "AuthenticationFail.OIDCToken.IssuerConfigurationBroken",
                "Get public keys from OIDC Provider failed, the issuer is " + issuer + ".");
    }

    public static KmsException httpsUrlInvalid() {
        return new KmsException(
                401,
                "AuthenticationFail.OIDCToken.HttpsUrlInvalid",
                "Invoke url failed due to certificate chain validation");
    }

    public static KmsException noSuchProvider() {
        return new KmsException(401, "AuthenticationFail.NoPermission", "No such OIDC Provider registered.");
    }

    public static KmsException noPermission() {
        return new KmsException(401, "AuthenticationFail.NoPermission", "There is no permission");
    }
}
