package org.openkms.crypto.rootkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openkms.crypto.CryptoException;

class FileRootKeyProviderTest {
    @TempDir
    Path dir;

    @Test
    void createsAPrivate256BitKeyFileAndReusesItAfterRestart() throws Exception {
        Path file = dir.resolve("root.key");
        FileRootKeyProvider first = FileRootKeyProvider.openOrCreate(file);
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        byte[] aad = "row-1".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = first.seal(new byte[] {1, 2, 3}, aad);
        FileRootKeyProvider second = FileRootKeyProvider.openOrCreate(file);
        assertThat(second.unseal(sealed, aad)).containsExactly(1, 2, 3);
    }

    @Test
    void sealedMaterialIsBoundToItsRowAndToItsRootKey() throws Exception {
        FileRootKeyProvider p = FileRootKeyProvider.openOrCreate(dir.resolve("a.key"));
        FileRootKeyProvider other = FileRootKeyProvider.openOrCreate(dir.resolve("b.key"));
        byte[] sealed = p.seal(new byte[32], "key-1/v1".getBytes(StandardCharsets.UTF_8));
        assertThat(java.util.Collections.indexOfSubList(toList(sealed), toList(new byte[16])))
                .isEqualTo(-1); // no zero run in clear
        assertThatThrownBy(() -> p.unseal(sealed, "key-2/v1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> other.unseal(sealed, "key-1/v1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CryptoException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> p.unseal(sealed, "key-1/v1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CryptoException.class);
    }

    private static java.util.List<Byte> toList(byte[] b) {
        java.util.List<Byte> l = new java.util.ArrayList<>();
        for (byte x : b) {
            l.add(x);
        }
        return l;
    }

    @Test
    void refusesAKeyFileOfTheWrongSize() throws Exception {
        Path file = dir.resolve("short.key");
        Files.write(file, new byte[16]);
        assertThatThrownBy(() -> FileRootKeyProvider.openOrCreate(file)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openRefusesAMissingOrDamagedFileAndNeverCreatesOne() throws Exception {
        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> FileRootKeyProvider.open(missing))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        assertThat(missing).doesNotExist();
        Path empty = dir.resolve("empty.key");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> FileRootKeyProvider.open(empty))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("exactly 32 bytes, found 0");
    }

    @Test
    void createWritesA0600FileAndNeverReplacesAnExistingOne() throws Exception {
        Path file = dir.resolve("root.key");
        FileRootKeyProvider created = FileRootKeyProvider.create(file);
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(dir.resolve("root.key.tmp")).doesNotExist();
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> FileRootKeyProvider.create(file))
                .isInstanceOf(CryptoException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        byte[] aad = "row".getBytes(StandardCharsets.UTF_8);
        assertThat(FileRootKeyProvider.open(file).unseal(created.seal(new byte[] {7}, aad), aad))
                .containsExactly(7);
    }
}
