package org.openkms.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The protobuf (proto3) binary encoding, as far as the KMS Instance API's messages need it: varint (int32, bool)
 * and length-delimited (string, bytes) fields (https://protobuf.dev/programming-guides/encoding/). Written by hand
 * so that neither the server nor the bench carry a protobuf runtime that could clash with the one the official
 * Instance SDK brings (protobuf-java 3.19 generated code). Unknown fields, and fixed-width ones, are skipped as
 * the standard parsers skip them.
 */
public final class ProtoWire {
    private static final int VARINT = 0;
    private static final int I64 = 1;
    private static final int LEN = 2;
    private static final int I32 = 5;

    private ProtoWire() {}

    /** A malformed message: truncated, a bad varint or a wire type proto3 does not use. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * A decoded message: per field number, the values in the order they came (varints as Long, length-delimited as
     * byte[]). Proto3 parsers keep the last value of a repeated scalar field.
     */
    public static final class Message {
        private final Map<Integer, List<Object>> fields = new HashMap<>();

        private void add(int number, Object value) {
            fields.computeIfAbsent(number, k -> new ArrayList<>(1)).add(value);
        }

        private Object last(int number) {
            List<Object> v = fields.get(number);
            return v == null ? null : v.get(v.size() - 1);
        }

        /** The field's bytes, or null when absent (or not length-delimited). */
        public byte[] bytes(int number) {
            Object v = last(number);
            return v instanceof byte[] ? (byte[]) v : null;
        }

        /** The field as UTF-8 text, or null when absent. */
        public String string(int number) {
            byte[] b = bytes(number);
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        /** The field's varint, or null when absent. */
        public Long varint(int number) {
            Object v = last(number);
            return v instanceof Long ? (Long) v : null;
        }

        /** Every value of a repeated string field. */
        public List<String> strings(int number) {
            List<String> out = new ArrayList<>();
            for (Object o : fields.getOrDefault(number, new ArrayList<>())) {
                if (o instanceof byte[]) {
                    out.add(new String((byte[]) o, StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }

    public static Message decode(byte[] data) throws MalformedException {
        Message m = new Message();
        int[] pos = {0};
        while (pos[0] < data.length) {
            long key = readVarint(data, pos);
            int number = (int) (key >>> 3);
            int type = (int) (key & 7);
            if (number <= 0) {
                throw new MalformedException("invalid field number");
            }
            if (type == VARINT) {
                m.add(number, readVarint(data, pos));
            } else if (type == LEN) {
                long len = readVarint(data, pos);
                if (len < 0 || len > data.length - pos[0]) {
                    throw new MalformedException("truncated field " + number);
                }
                byte[] v = new byte[(int) len];
                System.arraycopy(data, pos[0], v, 0, v.length);
                pos[0] += v.length;
                m.add(number, v);
            } else if (type == I64) {
                skip(data, pos, 8);
            } else if (type == I32) {
                skip(data, pos, 4);
            } else {
                throw new MalformedException("unsupported wire type " + type);
            }
        }
        return m;
    }

    private static void skip(byte[] data, int[] pos, int n) throws MalformedException {
        if (data.length - pos[0] < n) {
            throw new MalformedException("truncated fixed-width field");
        }
        pos[0] += n;
    }

    private static long readVarint(byte[] data, int[] pos) throws MalformedException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= data.length) {
                throw new MalformedException("truncated varint");
            }
            byte b = data[pos[0]++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new MalformedException("varint longer than 10 bytes");
    }

    /** Writes a message; proto3 leaves out fields that hold their default (empty, zero, false). */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Writer string(int number, String value) {
            return value == null || value.isEmpty() ? this : bytes(number, value.getBytes(StandardCharsets.UTF_8));
        }

        public Writer bytes(int number, byte[] value) {
            if (value == null || value.length == 0) {
                return this;
            }
            varint((long) number << 3 | LEN);
            varint(value.length);
            out.write(value, 0, value.length);
            return this;
        }

        /** int32: negative values take ten bytes, as protobuf sign-extends them. */
        public Writer int32(int number, long value) {
            if (value != 0) {
                varint((long) number << 3 | VARINT);
                varint(value);
            }
            return this;
        }

        public Writer bool(int number, boolean value) {
            return value ? int32(number, 1) : this;
        }

        /** A repeated string field: every element, empty ones included (repeated fields keep them). */
        public Writer strings(int number, List<String> values) {
            for (String v : values) {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                varint((long) number << 3 | LEN);
                varint(b.length);
                out.write(b, 0, b.length);
            }
            return this;
        }

        private void varint(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
