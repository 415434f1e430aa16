package org.openkms.crypto.mac;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** One version's HMAC key, ready to use; immutable and thread-safe (per-thread Mac objects). */
public final class MacKey {
    private final MacAlgorithm algorithm;
    private final SecretKey key;

    public MacKey(MacAlgorithm algorithm, byte[] material) {
        this.algorithm = algorithm;
        this.key = new SecretKeySpec(material, algorithm.jcaName());
    }

    public MacAlgorithm algorithm() {
        return algorithm;
    }

    public byte[] compute(byte[] message) {
        try {
            Mac m = algorithm.threadMac();
            m.init(key);
            return m.doFinal(message);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC key rejected", e);
        }
    }

    /** Constant-time comparison: a timing difference would let a caller forge a MAC byte by byte. */
    public boolean verify(byte[] message, byte[] mac) {
        return MessageDigest.isEqual(compute(message), mac);
    }
}
