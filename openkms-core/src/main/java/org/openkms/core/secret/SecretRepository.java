package org.openkms.core.secret;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets and their versions. Like keys, writes are optimistic: they succeed only when the stored revision
 * equals the caller's expected revision, so stage moves by two writers can never interleave.
 */
public interface SecretRepository {
    /** Inserts a secret with its first versions and tags in one transaction; false when the name is taken. */
    boolean create(SecretRecord secret, List<SecretVersionRecord> versions, Map<String, String> tags);

    Optional<SecretRecord> find(String secretName);

    /** All secrets ordered by creation date, then name. */
    List<SecretRecord> list();

    /** Replaces the secret row when its stored revision is {@code expectedRevision}; false on conflict or absence. */
    boolean update(SecretRecord secret, long expectedRevision);

    /**
     * One atomic change of a secret's versions: updates the secret row (revision-checked), inserts versions
     * that do not exist yet, rewrites the stages of those that do (values are immutable), and deletes
     * {@code removedVersionIds}. False on a revision conflict, with nothing written.
     */
    boolean saveVersions(
            SecretRecord updated,
            long expectedRevision,
            List<SecretVersionRecord> upserts,
            Collection<String> removedVersionIds);

    /** Versions of a secret in insertion order. */
    List<SecretVersionRecord> versions(String secretName);

    /** Removes a secret, its versions and its tags in one transaction. */
    void delete(String secretName);
}
