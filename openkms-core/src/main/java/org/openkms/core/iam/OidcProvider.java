package org.openkms.core.iam;

import java.time.Instant;
import java.util.List;

/**
 * A RAM OIDC identity provider (RAM 2015-05-01 CreateOIDCProvider,
 * https://www.alibabacloud.com/help/en/ram/developer-reference/api-ram-2015-05-01-createoidcprovider): the issuer whose
 * tokens STS AssumeRoleWithOIDC accepts, the SHA-1 fingerprints of the CA certificates its HTTPS endpoint may chain
 * to, the client IDs (audiences) tokens must carry, and how long ago (hours) a token may have been issued.
 */
public record OidcProvider(
        String name,
        String issuerUrl,
        List<String> fingerprints,
        List<String> clientIds,
        int issuanceLimitTime,
        String description,
        Instant createDate,
        Instant updateDate) {
    public OidcProvider {
        fingerprints = List.copyOf(fingerprints);
        clientIds = List.copyOf(clientIds);
    }

    /** {@code acs:ram::<uid>:oidc-provider/<name>}, as trust policies and AssumeRoleWithOIDC name it. */
    public String arn(String accountUid) {
        return "acs:ram::" + accountUid + ":oidc-provider/" + name;
    }

    public OidcProvider withClientIds(List<String> ids, Instant now) {
        return new OidcProvider(name, issuerUrl, fingerprints, ids, issuanceLimitTime, description, createDate, now);
    }
}
