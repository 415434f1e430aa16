package org.openkms.crypto.context;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Canonical form of an EncryptionContext, used as AEAD associated data. Pairs are sorted by key and each
 * string is written as a 4-byte big-endian length and its UTF-8 bytes, so the form is independent of the
 * order the caller's JSON used and two different maps can never encode to the same bytes. An empty or
 * absent context binds nothing (Alibaba treats "no context" and "{}" alike).
 */
public final class EncryptionContexts {
    private static final byte[] NONE = new byte[0];

    private EncryptionContexts() {}

    public static byte[] canonical(Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            return NONE;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (Map.Entry<String, String> e : new TreeMap<>(context).entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 24);
        out.write(b.length >>> 16);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.write(b, 0, b.length);
    }
}
