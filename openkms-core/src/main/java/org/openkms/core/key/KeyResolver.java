package org.openkms.core.key;

import java.util.concurrent.ConcurrentHashMap;
import org.openkms.core.Account;
import org.openkms.core.error.Errors;

/**
 * Turns a KeyId parameter (key ID, {@code alias/<name>}, or a key or alias ARN) into a key ID. Aliases are
 * cached because Encrypt with an alias is a hot path; alias writes invalidate the entry.
 */
public final class KeyResolver {
    private static final String ALIAS_PREFIX = "alias/";
    private final Account account;
    private final AliasRepository aliases;
    private final ConcurrentHashMap<String, String> aliasTargets = new ConcurrentHashMap<>();

    public KeyResolver(Account account, AliasRepository aliases) {
        this.account = account;
        this.aliases = aliases;
    }

    /** The key ID named by the parameter; throws Forbidden.AliasNotFound or Forbidden.KeyNotFound. */
    public String resolve(String keyIdParam) {
        String ref = keyIdParam;
        if (ref.startsWith("acs:")) {
            if (!ref.startsWith(account.arnPrefix())) {
                // Another region or account: nothing of it exists here.
                throw ref.contains(":alias/") ? Errors.aliasNotFound() : Errors.keyNotFound();
            }
            ref = ref.substring(account.arnPrefix().length());
            if (ref.startsWith("key/")) {
                return ref.substring(4);
            }
            if (!ref.startsWith(ALIAS_PREFIX)) {
                throw Errors.keyNotFound();
            }
        }
        if (ref.startsWith(ALIAS_PREFIX)) {
            // Unknown aliases map to null and are not cached (no memory growth from probing).
            String target = aliasTargets.computeIfAbsent(
                    ref, n -> aliases.find(n).map(AliasRecord::keyId).orElse(null));
            if (target == null) {
                throw Errors.aliasNotFound();
            }
            return target;
        }
        return ref;
    }

    public void invalidateAlias(String aliasName) {
        aliasTargets.remove(aliasName);
    }

    public void invalidateAll() {
        aliasTargets.clear();
    }

    public void invalidateAliasesOf(String keyId) {
        aliasTargets.values().removeIf(keyId::equals);
    }
}
