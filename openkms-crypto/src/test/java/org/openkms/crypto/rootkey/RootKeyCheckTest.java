package org.openkms.crypto.rootkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootKeyCheckTest {
    @TempDir
    Path dir;

    @Test
    void aCheckValueMatchesOnlyTheRootKeyThatMadeIt() throws Exception {
        FileRootKeyProvider a = FileRootKeyProvider.create(dir.resolve("a.key"));
        FileRootKeyProvider b = FileRootKeyProvider.create(dir.resolve("b.key"));
        byte[] check = RootKeyCheck.create(a);
        assertThat(RootKeyCheck.matches(a, check)).isTrue();
        assertThat(RootKeyCheck.matches(FileRootKeyProvider.open(dir.resolve("a.key")), check))
                .isTrue();
        assertThat(RootKeyCheck.matches(b, check)).isFalse();
        assertThat(RootKeyCheck.create(a)).isNotEqualTo(check); // random IV: equal keys do not show as equal values
    }

    @Test
    void otherSealedRowsAndDamagedValuesDoNotPass() throws Exception {
        FileRootKeyProvider a = FileRootKeyProvider.create(dir.resolve("a.key"));
        byte[] label = "OpenKMS root key check v1".getBytes(StandardCharsets.US_ASCII);
        assertThat(RootKeyCheck.matches(a, a.seal(label, "openkms/access-key/x".getBytes(StandardCharsets.US_ASCII))))
                .isFalse();
        byte[] check = RootKeyCheck.create(a);
        check[check.length - 1] ^= 1;
        assertThat(RootKeyCheck.matches(a, check)).isFalse();
        assertThat(RootKeyCheck.matches(a, new byte[0])).isFalse();
    }
}
