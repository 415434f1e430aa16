package org.openkms.core.service;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.openkms.core.secret.SecretRecord;
import org.openkms.core.secret.SecretVersionRecord;
import org.openkms.core.store.SecretRepository;

/**
 * Secrets with their (still encrypted) versions in memory, so GetSecretValue reads no database once a secret
 * is warm. Holds envelopes, never plaintext: every read still opens the envelope through the KMS key, so a
 * key disabled a moment ago is honoured at once. Loaded and invalidated like {@link KeyCache} (the loader
 * runs inside computeIfAbsent, so an invalidation issued after a commit can never be overtaken by a stale load).
 */
final class SecretCache {
    private final SecretRepository secrets;
    private final ConcurrentHashMap<String, LoadedSecret> byName = new ConcurrentHashMap<>();

    SecretCache(SecretRepository secrets) {
        this.secrets = secrets;
    }

    record LoadedSecret(SecretRecord record, List<SecretVersionRecord> versions) {
    }

    Optional<LoadedSecret> get(String secretName) {
        LoadedSecret hit = byName.get(secretName);
        return Optional.ofNullable(hit != null ? hit : byName.computeIfAbsent(secretName, this::load));
    }

    void invalidate(String secretName) {
        byName.remove(secretName);
    }

    private LoadedSecret load(String secretName) {
        // Unknown names load as null, which computeIfAbsent does not store: probing cannot fill memory.
        return secrets.find(secretName).map(s -> new LoadedSecret(s, List.copyOf(secrets.versions(secretName)))).orElse(null);
    }
}
