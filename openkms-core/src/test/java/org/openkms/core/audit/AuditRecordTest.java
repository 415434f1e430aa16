package org.openkms.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditRecordTest {
    private static AuditRecord record(String s) {
        return new AuditRecord(0, s, s, s, s, s, s, 400, s, 1, s, s);
    }

    @Test
    void shortFieldsAreKeptAsTheyAre() {
        AuditRecord r = new AuditRecord(
                1, "req", "LTAIabc", "user:alice", "Encrypt", "acs:kms:cn-hangzhou:1:key/k", "::1", 200, "OK", 5);
        assertThat(r.accessKeyId()).isEqualTo("LTAIabc");
        assertThat(r.action()).isEqualTo("Encrypt");
        assertThat(r.detail()).isEmpty();
        assertThat(r.decision()).isEmpty();
    }

    @Test
    void nullsBecomeEmpty() {
        AuditRecord r = new AuditRecord(1, null, null, null, null, null, null, 200, null, 5, null, null);
        assertThat(r.requestId()).isEmpty();
        assertThat(r.accessKeyId()).isEmpty();
        assertThat(r.detail()).isEmpty();
    }

    @Test
    void longFieldsAreCutToTheirBudgetAndMarked() {
        String huge = "A".repeat(60 * 1024);
        AuditRecord r = record(huge);
        assertThat(r.accessKeyId()).endsWith(AuditRecord.TRUNCATED).startsWith("AAAA");
        assertThat(AuditRecord.encodedBytes(r.accessKeyId()))
                .isLessThanOrEqualTo(AuditRecord.MAX_ID)
                .isGreaterThan(AuditRecord.MAX_ID - 4);
        assertThat(AuditRecord.encodedBytes(r.action())).isLessThanOrEqualTo(AuditRecord.MAX_ID);
        assertThat(AuditRecord.encodedBytes(r.resource())).isLessThanOrEqualTo(AuditRecord.MAX_RESOURCE);
        assertThat(AuditRecord.encodedBytes(r.detail())).isLessThanOrEqualTo(AuditRecord.MAX_DETAIL);
        assertThat(AuditRecord.encodedBytes(r.sourceIp())).isLessThanOrEqualTo(AuditRecord.MAX_SOURCE_IP);
        assertThat(AuditRecord.encodedBytes(r.decision())).isLessThanOrEqualTo(AuditRecord.MAX_DECISION);
        assertThat(fieldBytes(r)).isLessThanOrEqualTo(AuditRecord.MAX_ENCODED_BYTES);
        assertThat(AuditRecord.MAX_ENCODED_BYTES).isLessThan(2048);
    }

    @Test
    void aFieldExactlyAtItsBudgetIsNotCut() {
        String s = "x".repeat(AuditRecord.MAX_ID);
        assertThat(AuditRecord.bound(s, AuditRecord.MAX_ID)).isEqualTo(s);
        assertThat(AuditRecord.bound(s + "y", AuditRecord.MAX_ID)).endsWith(AuditRecord.TRUNCATED);
    }

    @Test
    void escapesAndMultiByteCharactersCountAtTheirEncodedSize() {
        for (String unit : new String[] {"\n", "\u0000", "\"", "é", "中", "\uD83D\uDE00", "\u2028", "\u0085"}) {
            AuditRecord r = record(unit.repeat(10_000));
            assertThat(fieldBytes(r)).as(unit).isLessThanOrEqualTo(AuditRecord.MAX_ENCODED_BYTES);
            assertThat(r.accessKeyId()).as(unit).endsWith(AuditRecord.TRUNCATED);
        }
    }

    @Test
    void neverSplitsASurrogatePair() {
        for (int prefix = 0; prefix < 8; prefix++) {
            String s = AuditRecord.bound("a".repeat(prefix) + "\uD83D\uDE00".repeat(100), AuditRecord.MAX_ID);
            String kept = s.substring(0, s.length() - AuditRecord.TRUNCATED.length());
            assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1)))
                    .as("prefix " + prefix)
                    .isFalse();
        }
    }

    private static int fieldBytes(AuditRecord r) {
        return AuditRecord.encodedBytes(r.requestId())
                + AuditRecord.encodedBytes(r.accessKeyId())
                + AuditRecord.encodedBytes(r.principal())
                + AuditRecord.encodedBytes(r.action())
                + AuditRecord.encodedBytes(r.resource())
                + AuditRecord.encodedBytes(r.sourceIp())
                + AuditRecord.encodedBytes(r.resultCode())
                + AuditRecord.encodedBytes(r.detail())
                + AuditRecord.encodedBytes(r.decision());
    }
}
