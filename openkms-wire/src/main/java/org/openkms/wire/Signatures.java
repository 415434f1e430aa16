package org.openkms.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Small shared helpers for the signature classes: constant-time comparison, hex, and per-thread cached
 * {@link Mac}/{@link MessageDigest} instances.
 *
 * <p>Why ThreadLocals: {@code Mac.getInstance}/{@code MessageDigest.getInstance} walk the provider list and allocate on
 * every call, which is a measurable share of the per-request cost at 20k verifications/s. The instances are not
 * thread-safe, hence one per thread.
 */
public final class Signatures {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final ThreadLocal<KeyedMac> HMAC_SHA1 = ThreadLocal.withInitial(() -> new KeyedMac("HmacSHA1", "&"));
    private static final ThreadLocal<KeyedMac> HMAC_SHA256 =
            ThreadLocal.withInitial(() -> new KeyedMac("HmacSHA256", ""));
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));

    private Signatures() {}

    /**
     * Compares two signature strings without an early exit on the first differing character, so the time taken does
     * not reveal how many leading characters of a forged signature were right. {@code null} never equals anything.
     */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex of the bytes (the form ACS3/ACS4 use for hashes and signatures). */
    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0, j = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            out[j++] = HEX[b >>> 4];
            out[j++] = HEX[b & 0x0f];
        }
        return new String(out);
    }

    static byte[] sha256(byte[] data) {
        MessageDigest md = SHA256.get();
        // digest() resets the instance, so it is ready for the next call on this thread.
        return md.digest(data);
    }

    private static final ThreadLocal<byte[]> ASCII = ThreadLocal.withInitial(() -> new byte[1024]);

    /**
     * SHA-256 of the UTF-8 bytes of {@code s}, copied through a per-thread buffer when {@code s} is ASCII (a canonical
     * request is: everything in it is percent-encoded but the header values), so no String or byte[] is made.
     */
    static byte[] sha256(CharSequence s) {
        int n = s.length();
        byte[] buffer = ASCII.get();
        if (n > buffer.length) {
            buffer = new byte[Math.max(n, 2 * buffer.length)];
            if (buffer.length <= 64 * 1024) {
                ASCII.set(buffer);
            }
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return sha256(utf8(s.toString()));
            }
            buffer[i] = (byte) c;
        }
        MessageDigest md = SHA256.get();
        md.update(buffer, 0, n);
        return md.digest();
    }

    /** HMAC-SHA1 keyed with {@code secret + "&"} (the RPC signature key). */
    static byte[] rpcHmacSha1(String accessKeySecret, byte[] data) {
        return HMAC_SHA1.get().mac(accessKeySecret, data);
    }

    static byte[] hmacSha256(String key, byte[] data) {
        return HMAC_SHA256.get().mac(key, data);
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        return HMAC_SHA256.get().mac(key, data);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    /**
     * A per-thread Mac that remembers the String key it was last initialised with. The RPC verifier may compute the
     * signature twice with the same secret (with and without empty values: the V2 SDK's openapiutil leaves empty
     * values out of the RPC signature), and a client
     * signs many requests with one secret; re-running {@code Mac.init} would recompute the HMAC pads each time.
     * The key is compared by identity only, so no timing depends on secret contents. {@code keySuffix} is appended
     * before keying (RPC uses {@code secret + "&"}), so the cache still hits on the caller's unchanged secret string.
     */
    private static final class KeyedMac {
        private final Mac mac;
        private final String keySuffix;
        private String lastKey;

        KeyedMac(String algorithm, String keySuffix) {
            this.keySuffix = keySuffix;
            try {
                this.mac = Mac.getInstance(algorithm);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is not available in this JVM", e);
            }
        }

        byte[] mac(String key, byte[] data) {
            if (key != lastKey) {
                lastKey = null;
                init(utf8(keySuffix.isEmpty() ? key : key + keySuffix));
                lastKey = key;
            }
            return mac.doFinal(data); // doFinal resets to the keyed initial state
        }

        byte[] mac(byte[] key, byte[] data) {
            lastKey = null;
            init(key);
            return mac.doFinal(data);
        }

        private void init(byte[] key) {
            try {
                // SecretKeySpec rejects an empty key; an empty secret is never valid, but say so clearly.
                if (key.length == 0) {
                    throw new IllegalArgumentException("empty HMAC key");
                }
                mac.init(new SecretKeySpec(key, mac.getAlgorithm()));
            } catch (java.security.InvalidKeyException e) {
                throw new IllegalArgumentException("invalid HMAC key", e);
            }
        }
    }
}
