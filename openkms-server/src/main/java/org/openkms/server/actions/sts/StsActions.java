package org.openkms.server.actions.sts;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.IamErrors;
import org.openkms.core.iam.OidcProvider;
import org.openkms.core.iam.Principal;
import org.openkms.core.iam.RamRole;
import org.openkms.server.auth.StsTokens;
import org.openkms.server.gateway.ActionRegistry;
import org.openkms.server.gateway.Call;
import org.openkms.server.iam.IamContext;
import org.openkms.server.oidc.OidcErrors;
import org.openkms.server.oidc.OidcTokenVerifier;

/**
 * STS (2015-04-01): AssumeRole and AssumeRoleWithOIDC issue temporary credentials (an {@code STS.} AccessKeyId, its
 * secret and a SecurityToken that seals the session), and GetCallerIdentity says who is calling.
 */
public final class StsActions {
    public static final String VERSION = "2015-04-01";
    private static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9.@_-]{2,64}");
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final IamContext ctx;
    private final OidcTokenVerifier oidc;

    private StsActions(IamContext ctx) {
        this.ctx = ctx;
        this.oidc = new OidcTokenVerifier(ctx.clock());
    }

    /** STS's actions, working with the server's roles and STS tokens. */
    public static ActionRegistry registry(IamContext ctx) {
        return new StsActions(ctx).declarations();
    }

    private ActionRegistry declarations() {
        return new ActionRegistry()
                .register("AssumeRole", this::assumeRole)
                // Anonymous: credentials-java and the STS SDK send it unsigned; the OIDC token authenticates it.
                .registerAnonymous("AssumeRoleWithOIDC", this::assumeRoleWithOidc)
                .register("GetCallerIdentity", this::getCallerIdentity);
    }

    /**
     * The caller needs sts:AssumeRole on the role (checked by the gateway, root excepted) and the role's trust
     * policy must name the caller (or the account, {@code acs:ram::<uid>:root}).
     */
    private Map<String, Object> assumeRole(Call c) {
        String arn = c.params().required("RoleArn");
        String session = sessionName(c);
        refuseSessionPolicy(c);
        RamRole role = ctx.iam().roleByArn(arn).orElseThrow(() -> IamErrors.notExist("Role", arn));
        if (!ctx.iam().trusts(role, c.principal())) {
            throw new KmsException(
                    403,
                    "NoPermission",
                    "You are not authorized to assume this role: its trust policy does not allow "
                            + c.principal().arn(c.kms().account().uid()) + ".");
        }
        return issue(c, role, session, new LinkedHashMap<>());
    }

    /**
     * STS AssumeRoleWithOIDC (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerolewithoidc),
     * called without credentials: the provider must exist, the token must verify against it
     * ({@link OidcTokenVerifier}), and the role's trust policy must name the provider as Federated principal with
     * its conditions on {@code oidc:iss}, {@code oidc:aud} and {@code oidc:sub} holding, as in Alibaba's RRSA trust
     * policy. Errors are STS's AuthenticationFail.* (401); nothing is issued unless every check passes.
     */
    private Map<String, Object> assumeRoleWithOidc(Call c) {
        String providerArn = c.params().required("OIDCProviderArn");
        String roleArn = c.params().required("RoleArn");
        String token = c.params().optional("OIDCToken");
        String session = sessionName(c);
        refuseSessionPolicy(c);
        OidcProvider provider = ctx.oidcProviders().byArn(providerArn).orElseThrow(OidcErrors::noSuchProvider);
        RamRole role = ctx.iam().roleByArn(roleArn).orElseThrow(() -> IamErrors.notExist("Role", roleArn));
        OidcTokenVerifier.Verified t = oidc.verify(provider, token);
        Map<String, String> claims = Map.of("oidc:iss", t.issuer(), "oidc:aud", t.audience(), "oidc:sub", t.subject());
        if (!ctx.iam().trustsFederated(role, provider.arn(c.kms().account().uid()), claims)) {
            c.auditDetail("refused OIDC subject " + t.subject() + " of provider " + provider.name() + " for role "
                    + role.roleName());
            throw OidcErrors.noPermission();
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("Subject", t.subject());
        info.put("Issuer", t.issuer());
        info.put("ClientIds", t.audience());
        info.put(
                "ExpirationTime", t.expiration().truncatedTo(ChronoUnit.SECONDS).toString());
        info.put(
                "IssuanceTime",
                t.issuedAt() == null
                        ? ""
                        : t.issuedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        info.put("VerificationInfo", "Success");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("OIDCTokenInfo", info);
        c.auditDetail("OIDC subject " + t.subject() + " of provider " + provider.name());
        return issue(c, role, session, extra);
    }

    private static String sessionName(Call c) {
        String session = c.params().required("RoleSessionName");
        if (!SESSION_NAME.matcher(session).matches()) {
            throw IamErrors.invalidParameter(
                    "RoleSessionName", "RoleSessionName must be 2 to 64 letters, digits, '.', '@', '_' or '-'.");
        }
        return session;
    }

    private static void refuseSessionPolicy(Call c) {
        String policy = c.params().optional("Policy");
        if (policy != null && !policy.isEmpty()) {
            // A session policy narrows the role's permissions; ignoring it would grant more than asked for.
            throw new KmsException(
                    400, "InvalidParameter.Policy", "Session policies are not supported by this server.");
        }
    }

    /** Temporary credentials for a session of the role: nothing stored, the token seals the session. */
    private Map<String, Object> issue(Call c, RamRole role, String session, Map<String, Object> extra) {
        int duration = c.params().integer("DurationSeconds", 3600, 900, (int) role.maxSessionDuration());
        Instant expires = ctx.clock().instant().plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS);
        String akId = "STS." + random(24);
        String secret = random(40);
        String token = ctx.tokens()
                .issue(new StsTokens.Session(akId, secret, role.roleName(), session, expires.toEpochMilli()));
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("AccessKeyId", akId);
        credentials.put("AccessKeySecret", secret);
        credentials.put("SecurityToken", token);
        credentials.put("Expiration", expires.toString());
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("Arn", role.arn(c.kms().account().uid()) + "/" + session);
        user.put("AssumedRoleId", role.roleId() + ":" + session);
        String before = c.auditDetail();
        c.auditDetail((before == null || before.isEmpty() ? "" : before + "; ") + "issued " + akId + " for role "
                + role.roleName() + " session " + session + " until " + expires);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Credentials", credentials);
        body.put("AssumedRoleUser", user);
        body.putAll(extra);
        return body;
    }

    private Map<String, Object> getCallerIdentity(Call c) {
        Principal p = c.principal();
        String uid = c.kms().account().uid();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AccountId", uid);
        switch (p.type()) {
            case Principal.ROOT -> {
                m.put("IdentityType", "Account");
                m.put("Arn", p.arn(uid));
                m.put("PrincipalId", uid);
            }
            case Principal.USER -> {
                String userId = ctx.iam().userExists(p.name())
                        ? ctx.iam().user(p.name()).userId()
                        : "";
                m.put("IdentityType", "RAMUser");
                m.put("Arn", p.arn(uid));
                m.put("UserId", userId);
                m.put("PrincipalId", userId);
            }
            default -> {
                String roleId = ctx.iam().roleExists(p.roleName())
                        ? ctx.iam().role(p.roleName()).roleId()
                        : "";
                String session = p.name().substring(p.roleName().length() + 1);
                m.put("IdentityType", "AssumedRoleUser");
                m.put(
                        "Arn",
                        "acs:ram::" + uid + ":assumed-role/" + p.roleName().toLowerCase(Locale.ROOT) + "/" + session);
                m.put("RoleId", roleId);
                m.put("PrincipalId", roleId + ":" + session);
            }
        }
        return m;
    }

    private String random(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM[org.openkms.crypto.SecureRandoms.current().nextInt(ALNUM.length)]);
        }
        return sb.toString();
    }
}
