package org.openkms.core.secret;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A secret's versions while one write plans its change: stage moves with Alibaba's rules, pruning, and the
 * list of what changed (for {@code SecretRepository.saveVersions}). Not thread-safe; one per write.
 *
 * <p>The rules (https://www.alibabacloud.com/help/doc-detail/152002.htm,
 * https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-kms-2016-01-20-updatesecretversionstage):
 * a label sits on at most one version; moving ACSCurrent onto another version hands ACSPrevious to the version that was
 * current (and takes it from whoever had it).
 */
public final class VersionSet {
    private final LinkedHashMap<String, SecretVersionRecord> byId = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final List<String> removed = new ArrayList<>();

    public VersionSet(List<SecretVersionRecord> versions) {
        versions.forEach(v -> byId.put(v.versionId(), v));
    }

    public Optional<SecretVersionRecord> find(String versionId) {
        return Optional.ofNullable(byId.get(versionId));
    }

    public Optional<SecretVersionRecord> holder(String stage) {
        return byId.values().stream().filter(v -> v.hasStage(stage)).findFirst();
    }

    public void add(SecretVersionRecord v) {
        byId.put(v.versionId(), v.withStages(Set.of()));
        changed.add(v.versionId());
        for (String stage : v.stages()) {
            attach(stage, v.versionId());
        }
    }

    /** Puts {@code stage} on a version, taking it from any other; ACSCurrent demotes the old current to ACSPrevious. */
    public void attach(String stage, String versionId) {
        Optional<SecretVersionRecord> old = holder(stage);
        if (old.isPresent() && old.get().versionId().equals(versionId)) {
            return;
        }
        old.ifPresent(o -> setStages(o.versionId(), without(o.stages(), stage)));
        setStages(versionId, with(byId.get(versionId).stages(), stage));
        if (stage.equals(SecretStages.CURRENT) && old.isPresent()) {
            attach(SecretStages.PREVIOUS, old.get().versionId());
        }
    }

    public void detach(String stage, String versionId) {
        setStages(versionId, without(byId.get(versionId).stages(), stage));
    }

    public void remove(String versionId) {
        if (byId.remove(versionId) != null) {
            changed.remove(versionId);
            removed.add(versionId);
        }
    }

    /** Drops the oldest versions without a label until at most {@code max} remain. */
    public void prune(int max) {
        List<String> unlabelled = byId.values().stream()
                .filter(v -> v.stages().isEmpty())
                .map(SecretVersionRecord::versionId)
                .toList();
        for (int i = 0; i < unlabelled.size() && byId.size() > max; i++) {
            remove(unlabelled.get(i));
        }
    }

    /** Distinct labels in use. */
    public int labelCount() {
        Set<String> labels = new HashSet<>();
        byId.values().forEach(v -> labels.addAll(v.stages()));
        return labels.size();
    }

    public List<SecretVersionRecord> all() {
        return List.copyOf(byId.values());
    }

    public List<SecretVersionRecord> upserts() {
        return changed.stream().map(byId::get).toList();
    }

    public List<String> removed() {
        return List.copyOf(removed);
    }

    public boolean hasChanges() {
        return !changed.isEmpty() || !removed.isEmpty();
    }

    private void setStages(String versionId, Set<String> stages) {
        byId.put(versionId, byId.get(versionId).withStages(stages));
        changed.add(versionId);
    }

    private static Set<String> with(Set<String> s, String x) {
        Set<String> out = new HashSet<>(s);
        out.add(x);
        return out;
    }

    private static Set<String> without(Set<String> s, String x) {
        Set<String> out = new HashSet<>(s);
        out.remove(x);
        return out;
    }

    /** For tests and diagnostics: version → labels. */
    public Map<String, Set<String>> stagesById() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        byId.forEach((k, v) -> m.put(k, v.stages()));
        return m;
    }
}
