package org.openkms.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Alibaba's stage rules (https://www.alibabacloud.com/help/doc-detail/152002.htm) on the planning structure every
 * version write uses.
 */
class VersionSetTest {
    private static SecretVersionRecord v(String id, String... stages) {
        return new SecretVersionRecord("s", id, Instant.EPOCH, "text", new byte[0], Set.of(stages));
    }

    @Test
    void newCurrentDemotesOldCurrentAndDropsOldPrevious() {
        VersionSet set = new VersionSet(List.of(v("v1", "ACSPrevious"), v("v2", "ACSCurrent")));
        set.add(v("v3", "ACSCurrent"));
        assertThat(set.stagesById())
                .containsExactly(
                        java.util.Map.entry("v1", Set.of()),
                        java.util.Map.entry("v2", Set.of("ACSPrevious")),
                        java.util.Map.entry("v3", Set.of("ACSCurrent")));
        assertThat(set.upserts())
                .extracting(SecretVersionRecord::versionId)
                .containsExactlyInAnyOrder("v1", "v2", "v3");
    }

    @Test
    void movingCurrentBackToThePreviousVersionSwapsTheLabels() {
        VersionSet set = new VersionSet(List.of(v("v1", "ACSPrevious"), v("v2", "ACSCurrent")));
        set.attach("ACSCurrent", "v1");
        assertThat(set.holder("ACSCurrent").orElseThrow().versionId()).isEqualTo("v1");
        assertThat(set.holder("ACSPrevious").orElseThrow().versionId()).isEqualTo("v2");
    }

    @Test
    void customLabelsMoveAloneAndCount() {
        VersionSet set = new VersionSet(List.of(v("v1", "ACSCurrent", "blue"), v("v2")));
        set.attach("blue", "v2");
        assertThat(set.holder("ACSCurrent").orElseThrow().versionId()).isEqualTo("v1");
        assertThat(set.holder("blue").orElseThrow().versionId()).isEqualTo("v2");
        assertThat(set.labelCount()).isEqualTo(2);
        set.detach("blue", "v2");
        assertThat(set.holder("blue")).isEmpty();
    }

    @Test
    void pruneDropsOldestUnlabelledOnly() {
        VersionSet set = new VersionSet(List.of(v("a"), v("b", "keep"), v("c"), v("d", "ACSCurrent")));
        set.prune(2);
        assertThat(set.all()).extracting(SecretVersionRecord::versionId).containsExactly("b", "d");
        assertThat(set.removed()).containsExactly("a", "c");
    }
}
