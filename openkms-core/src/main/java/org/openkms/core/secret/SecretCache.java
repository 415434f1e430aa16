package org.openkms.core.secret;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets with their versions in memory, so GetSecretValue reads no database once a secret is warm. A
 * version's value is opened (through the KMS key) on its first read and kept with the entry: opening costs two
 * AES key schedules, a large share of a warm read. Holding it is no new exposure, since this process already
 * holds the unsealed key material that opens every envelope; every read still checks the key's state first
 * (SecretService), so a key disabled a moment ago is honoured at once. Loaded and invalidated like
 * {@link KeyCache} (the loader runs inside computeIfAbsent, so an invalidation issued after a commit can never
 * be overtaken by a stale load); any write drops the whole entry, opened values included.
 */
public final class SecretCache {
    private final SecretRepository secrets;
    private final ConcurrentHashMap<String, LoadedSecret> byName = new ConcurrentHashMap<>();

    public SecretCache(SecretRepository secrets) {
        this.secrets = secrets;
    }

    record LoadedSecret(
            SecretRecord record, List<SecretVersionRecord> versions, ConcurrentHashMap<String, String> opened) {
        LoadedSecret(SecretRecord record, List<SecretVersionRecord> versions) {
            this(record, versions, new ConcurrentHashMap<>());
        }

        @Override
        public String toString() { // never print opened values
            return "LoadedSecret[" + record.secretName() + "]";
        }
    }

    Optional<LoadedSecret> get(String secretName) {
        LoadedSecret hit = byName.get(secretName);
        return Optional.ofNullable(hit != null ? hit : byName.computeIfAbsent(secretName, this::load));
    }

    void invalidate(String secretName) {
        byName.remove(secretName);
    }

    void invalidateAll() {
        byName.clear();
    }

    private LoadedSecret load(String secretName) {
        // Unknown names load as null, which computeIfAbsent does not store: probing cannot fill memory.
        return secrets.find(secretName)
                .map(s -> new LoadedSecret(s, List.copyOf(secrets.versions(secretName))))
                .orElse(null);
    }
}
