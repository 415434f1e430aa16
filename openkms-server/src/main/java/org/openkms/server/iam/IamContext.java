package org.openkms.server.iam;

import java.time.Clock;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.IamService;
import org.openkms.server.auth.StsTokens;

/**
 * What the RAM and STS actions work with besides the KMS core: identities, AccessKeys, STS tokens and OIDC providers.
 */
public record IamContext(
        IamService iam,
        CredentialStore credentials,
        StsTokens tokens,
        org.openkms.core.accesspoint.AccessPoints accessPoints,
        org.openkms.core.iam.OidcProviders oidcProviders,
        Clock clock) {}
