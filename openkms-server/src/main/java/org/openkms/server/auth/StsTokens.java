package org.openkms.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.openkms.core.iam.Principal;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.rootkey.RootKeyProvider;

/**
 * STS SecurityTokens that carry their own session: the temporary AccessKeyId and secret, the role, the session
 * name and the expiry, sealed (AES-GCM) under the root key. Nothing is stored per session, sessions survive a
 * restart, and a token cannot be forged or altered without the root key. The "CAIS" prefix mimics Alibaba's.
 */
public final class StsTokens {
    private static final String PREFIX = "CAIS";
    private static final byte[] CONTEXT = "openkms/sts-token/v1".getBytes(StandardCharsets.UTF_8);
    private final RootKeyProvider rootKey;

    public StsTokens(RootKeyProvider rootKey) {
        this.rootKey = rootKey;
    }

    /** What a token says about its session. */
    public record Session(String accessKeyId, String secret, String roleName, String sessionName, long expiresMillis) {
        public Principal principal() {
            return Principal.assumedRole(roleName, sessionName, accessKeyId);
        }

        @Override
        public String toString() {
            return "Session[" + accessKeyId + ", " + roleName + "/" + sessionName + "]"; // never the secret
        }
    }

    public String issue(Session s) {
        String payload = String.join(
                "\n", s.accessKeyId(), s.secret(), s.roleName(), s.sessionName(), Long.toString(s.expiresMillis()));
        byte[] sealed = rootKey.seal(payload.getBytes(StandardCharsets.UTF_8), CONTEXT);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** @throws IllegalArgumentException when the token is not one this server issued (malformed or altered) */
    public Session open(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an STS token");
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
            String[] f = new String(rootKey.unseal(sealed, CONTEXT), StandardCharsets.UTF_8).split("\n", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("bad STS token payload");
            }
            return new Session(f[0], f[1], f[2], f[3], Long.parseLong(f[4]));
        } catch (CryptoException | RuntimeException e) {
            throw new IllegalArgumentException("STS token cannot be opened");
        }
    }
}
