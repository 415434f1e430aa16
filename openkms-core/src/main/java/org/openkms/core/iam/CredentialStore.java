package org.openkms.core.iam;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.crypto.CryptoException;
import org.openkms.crypto.SecureRandoms;
import org.openkms.crypto.rootkey.RootKeyProvider;

/**
 * AccessKeys with their secrets unsealed and cached, so that verifying a signature reads no database. Secrets
 * are sealed under the root key at rest (HMAC needs the secret itself, so it cannot be hashed).
 */
public final class CredentialStore {
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private final AccessKeyRepository repository;
    private final RootKeyProvider rootKey;
    private final Clock clock;
    private final ConcurrentHashMap<String, Credential> cache = new ConcurrentHashMap<>();

    public CredentialStore(AccessKeyRepository repository, RootKeyProvider rootKey, Clock clock) {
        this.repository = repository;
        this.rootKey = rootKey;
        this.clock = clock;
    }

    public Optional<Credential> find(String accessKeyId) {
        Credential c = cache.get(accessKeyId);
        if (c != null) {
            return Optional.of(c);
        }
        // Unknown IDs are not cached (computeIfAbsent records nothing for null), so probing cannot grow memory.
        return Optional.ofNullable(cache.computeIfAbsent(
                accessKeyId, id -> repository.find(id).map(this::open).orElse(null)));
    }

    /** Stores a new AccessKey for a principal; the secret is sealed before it reaches storage. */
    public void create(String accessKeyId, String secret, String principalName) {
        byte[] sealed = rootKey.seal(secret.getBytes(StandardCharsets.UTF_8), sealingContext(accessKeyId));
        repository.create(new AccessKeyRecord(
                accessKeyId, sealed, principalName, "Active", Instant.ofEpochMilli(clock.millis())));
        cache.remove(accessKeyId);
    }

    /** The AccessKeys of one principal (metadata only: the sealed secret is never handed out again). */
    public java.util.List<AccessKeyRecord> listFor(String principalName) {
        return repository.list().stream()
                .filter(r -> r.principalName().equals(principalName))
                .toList();
    }

    /** Active/Inactive; the cached credential is dropped so the next request sees the new status. */
    public boolean updateStatus(String accessKeyId, String status) {
        boolean found = repository.updateStatus(accessKeyId, status);
        cache.remove(accessKeyId);
        return found;
    }

    public boolean delete(String accessKeyId) {
        boolean found = repository.delete(accessKeyId);
        cache.remove(accessKeyId);
        return found;
    }

    /** A new random AccessKey pair for a principal: {id, secret}. The secret is returned once, never stored in clear. */
    public String[] generate(String principalName) {
        String id = "LTAI" + randomAlphanumeric(20);
        String secret = randomAlphanumeric(30);
        create(id, secret, principalName);
        return new String[] {id, secret};
    }

    /** Drops cached credentials (another node may have disabled or deleted one). */
    public void invalidateAll() {
        cache.clear();
    }

    public boolean isEmpty() {
        return repository.list().isEmpty();
    }

    /**
     * Whether the oldest stored AccessKey's secret opens under this store's root key; empty when no AccessKey
     * is stored. Start-up uses it to check the root key of a database from before the root-key check value.
     */
    public Optional<Boolean> opensStoredSecret() {
        java.util.List<AccessKeyRecord> all = repository.list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        AccessKeyRecord r = all.get(0);
        try {
            java.util.Arrays.fill(rootKey.unseal(r.sealedSecret(), sealingContext(r.accessKeyId())), (byte) 0);
            return Optional.of(true);
        } catch (CryptoException e) {
            return Optional.of(false);
        }
    }

    private Credential open(AccessKeyRecord r) {
        try {
            String secret = new String(
                    rootKey.unseal(r.sealedSecret(), sealingContext(r.accessKeyId())), StandardCharsets.UTF_8);
            Principal p = Principal.ROOT.equals(r.principalName())
                    ? new Principal(Principal.ROOT, Principal.ROOT, r.accessKeyId())
                    : Principal.user(r.principalName(), r.accessKeyId());
            return new Credential(r.accessKeyId(), secret, p, r.active());
        } catch (CryptoException e) {
            throw new IllegalStateException("AccessKey " + r.accessKeyId() + " cannot be unsealed with this root key");
        }
    }

    private static byte[] sealingContext(String accessKeyId) {
        return ("openkms/access-key/" + accessKeyId).getBytes(StandardCharsets.UTF_8);
    }

    /** Random letters and digits, as in Alibaba's AccessKey IDs and secrets. */
    public static String randomAlphanumeric(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM[SecureRandoms.current().nextInt(ALNUM.length)]);
        }
        return sb.toString();
    }
}
