package org.openkms.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The one-file format of a snapshot and of a wrapped root key: {@code OKMSBAK1}, the manifest's length (4 bytes,
 * big-endian), the manifest (JSON, readable without the passphrase), then the payload, gzip-compressed and
 * encrypted with AES-256-GCM under a key derived from the passphrase with scrypt (parameters and salt in the
 * manifest). The manifest is the GCM associated data, so it cannot be changed without the passphrase either.
 * A check value of the derived key tells a wrong passphrase apart from a damaged file.
 */
final class SealedFile {
    static final String FORMAT = "openkms-backup";
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "OKMSBAK1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_MANIFEST = 1 << 20;
    /** scrypt N=2^15, r=8, p=1: the interactive-login parameters of the scrypt paper, ~32 MiB and ~0.1 s. */
    static final int SCRYPT_N = 1 << 15;

    static final int SCRYPT_R = 8;
    static final int SCRYPT_P = 1;
    private static final int MAX_SCRYPT_N = 1 << 20;
    private static final byte[] CHECK_LABEL = "openkms backup passphrase check".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedFile() {}

    record Opened(JsonNode manifest, byte[] payload) {}

    static ObjectNode newManifest(String kind) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        m.put("kind", kind);
        return m;
    }

    /** The manifest and sealed payload as the file's bytes. */
    static byte[] seal(ObjectNode manifest, byte[] payload, char[] passphrase) {
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] derived = derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
        try {
            manifest.put("payloadSha256", sha256(payload));
            manifest.put("payloadBytes", payload.length);
            manifest.put("payloadEncoding", "gzip");
            ObjectNode kdf = manifest.putObject("kdf");
            kdf.put("algorithm", "scrypt");
            kdf.put("n", SCRYPT_N);
            kdf.put("r", SCRYPT_R);
            kdf.put("p", SCRYPT_P);
            kdf.put("salt", Base64.getEncoder().encodeToString(salt));
            kdf.put("check", Base64.getEncoder().encodeToString(check(derived)));
            ObjectNode cipher = manifest.putObject("cipher");
            cipher.put("algorithm", "AES-256-GCM");
            cipher.put("nonce", Base64.getEncoder().encodeToString(nonce));
            byte[] header = header(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derived, 0, 32, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(header);
            byte[] body = gcm.doFinal(gzip(payload));
            ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + body.length);
            out.write(header);
            out.write(body);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("sealing failed", e);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** Writes a new file (mode 0600) atomically: a temporary file beside it, then a rename; never overwrites. */
    static void writeNew(Path out, byte[] bytes, String option) {
        Path target = out.toAbsolutePath();
        if (Files.exists(target)) {
            throw new AdminException(option + " " + out + ": exists (choose another file; it is never overwritten)");
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream o = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                o.write(bytes);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new AdminException(option + " " + out + ": its directory does not exist (create it first)");
        } catch (FileAlreadyExistsException e) {
            throw new AdminException(option + " " + out + ": exists (choose another file; it is never overwritten)");
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // reported below
            }
            throw new AdminException(
                    option + " " + out + ": cannot write it (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Reads, checks and opens a file of {@code kind}; every failure is one line and nothing is written. */
    static Opened open(Path in, String option, String kind, char[] passphrase) {
        byte[] file;
        try {
            file = Files.readAllBytes(in);
        } catch (NoSuchFileException e) {
            throw new AdminException(option + " " + in + ": no such file");
        } catch (IOException e) {
            throw new AdminException(
                    option + " " + in + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        String where = option + " " + in + ": ";
        if (file.length < MAGIC.length + 4 || !Arrays.equals(Arrays.copyOf(file, MAGIC.length), MAGIC)) {
            throw new AdminException(where + "not an OpenKMS backup file (no OKMSBAK1 header)");
        }
        int length = ByteBuffer.wrap(file, MAGIC.length, 4).getInt();
        if (length <= 0 || length > MAX_MANIFEST || MAGIC.length + 4L + length > file.length) {
            throw new AdminException(where + "truncated or corrupted (manifest length out of range)");
        }
        int headerLength = MAGIC.length + 4 + length;
        JsonNode m;
        try {
            m = JSON.readTree(Arrays.copyOfRange(file, MAGIC.length + 4, headerLength));
        } catch (IOException e) {
            throw new AdminException(where + "corrupted (the manifest is not valid JSON)");
        }
        if (!FORMAT.equals(m.path("format").asText()) || m.path("formatVersion").asInt() != FORMAT_VERSION) {
            throw new AdminException(where + "format " + m.path("format").asText("?") + " version "
                    + m.path("formatVersion").asText("?") + " is not supported (this OpenKMS reads " + FORMAT + " "
                    + FORMAT_VERSION + ")");
        }
        if (!kind.equals(m.path("kind").asText())) {
            throw new AdminException(where + "holds a " + m.path("kind").asText("?") + ", not a " + kind);
        }
        JsonNode kdf = m.path("kdf");
        int n = kdf.path("n").asInt();
        int r = kdf.path("r").asInt();
        int p = kdf.path("p").asInt();
        if (!"scrypt".equals(kdf.path("algorithm").asText())
                || n < 2
                || n > MAX_SCRYPT_N
                || Integer.bitCount(n) != 1
                || r < 1
                || r > 32
                || p < 1
                || p > 16
                || !"AES-256-GCM".equals(m.path("cipher").path("algorithm").asText())) {
            throw new AdminException(where + "corrupted (unsupported or out-of-range kdf/cipher parameters)");
        }
        byte[] salt;
        byte[] storedCheck;
        byte[] nonce;
        try {
            salt = Base64.getDecoder().decode(kdf.path("salt").asText());
            storedCheck = Base64.getDecoder().decode(kdf.path("check").asText());
            nonce = Base64.getDecoder().decode(m.path("cipher").path("nonce").asText());
        } catch (IllegalArgumentException e) {
            throw new AdminException(where + "corrupted (bad base64 in the manifest)");
        }
        if (nonce.length != 12) {
            throw new AdminException(where + "corrupted (the nonce is not 12 bytes)");
        }
        byte[] derived = derive(passphrase, salt, n, r, p);
        byte[] compressed;
        try {
            if (!MessageDigest.isEqual(check(derived), storedCheck)) {
                throw new AdminException(where + "wrong passphrase (it does not open this file)");
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derived, 0, 32, "AES"), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(file, 0, headerLength);
            compressed = gcm.doFinal(file, headerLength, file.length - headerLength);
        } catch (AEADBadTagException e) {
            throw new AdminException(where + "truncated or corrupted (authentication of the payload failed)");
        } catch (GeneralSecurityException e) {
            throw new AdminException(
                    where + "truncated or corrupted (" + e.getClass().getSimpleName() + ")");
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
        byte[] payload;
        try {
            payload = gunzip(compressed);
        } catch (IOException e) {
            throw new AdminException(where + "corrupted (the payload does not decompress)");
        }
        if (payload.length != m.path("payloadBytes").asLong(-1)
                || !sha256(payload).equals(m.path("payloadSha256").asText())) {
            throw new AdminException(where + "corrupted (the payload's SHA-256 does not match the manifest)");
        }
        return new Opened(m, payload);
    }

    private static byte[] header(byte[] manifest) {
        return ByteBuffer.allocate(MAGIC.length + 4 + manifest.length)
                .put(MAGIC)
                .putInt(manifest.length)
                .put(manifest)
                .array();
    }

    /** 64 bytes: the AES key, then a key used only for the passphrase check value. */
    private static byte[] derive(char[] passphrase, byte[] salt, int n, int r, int p) {
        byte[] pass = new String(passphrase).getBytes(StandardCharsets.UTF_8);
        try {
            return SCrypt.generate(pass, salt, n, r, p, 64);
        } finally {
            Arrays.fill(pass, (byte) 0);
        }
    }

    private static byte[] check(byte[] derived) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(derived, 32, 32, "HmacSHA256"));
            return mac.doFinal(CHECK_LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return z.readAllBytes();
        }
    }
}
