package org.openkms.core.secret;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * One immutable value of a secret. {@code envelope} is the value encrypted under a data key that is itself
 * encrypted with the secret's EncryptionKeyId (see SecretEnvelopes); only {@code stages} ever changes.
 * {@code dataType} is "text" or "binary" (binary values are kept as the Base64 text the caller sent).
 */
public record SecretVersionRecord(
        String secretName,
        String versionId,
        Instant creationDate,
        String dataType,
        byte[] envelope,
        Set<String> stages) {

    public SecretVersionRecord {
        stages = Set.copyOf(stages);
    }

    public boolean hasStage(String stage) {
        return stages.contains(stage);
    }

    public SecretVersionRecord withStages(Set<String> newStages) {
        return new SecretVersionRecord(secretName, versionId, creationDate, dataType, envelope, newStages);
    }

    /** Stages in a stable order for responses: ACSCurrent, ACSPrevious, then custom labels alphabetically. */
    public java.util.List<String> orderedStages() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (stages.contains(SecretStages.CURRENT)) {
            out.add(SecretStages.CURRENT);
        }
        if (stages.contains(SecretStages.PREVIOUS)) {
            out.add(SecretStages.PREVIOUS);
        }
        for (String s : new TreeSet<>(stages)) {
            if (!SecretStages.builtIn(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
