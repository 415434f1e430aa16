package org.openkms.server.gateway;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.openkms.server.api.ApiResponse;

/**
 * Writes response trees as JSON (default) or XML ({@code Format=XML}, V1 SDK only). Trees are maps, lists and
 * scalars; a list under key {@code Key} inside {@code Keys} becomes {@code "Keys":{"Key":[…]}} in JSON and
 * repeated {@code <Key>} elements in XML, which is how Alibaba shapes both.
 *
 * <p>JSON keeps non-ASCII characters raw: the V1 SDK's JSON reader does not understand {@code \\uXXXX}.
 */
public final class ResponseEncoder {
    public static final String JSON_TYPE = "application/json;charset=utf-8";
    public static final String XML_TYPE = "text/xml;charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponseEncoder() {}

    public static ApiResponse json(int status, Map<String, Object> body) {
        // Streamed by hand rather than through ObjectMapper.writeValueAsBytes: the trees hold only maps, lists,
        // strings, numbers and booleans, and looking up a serializer for every value was most of the encoding cost
        // (10 % of the request thread's samples under Encrypt load). Anything else still goes through the mapper.
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024); // most answers fit: one copy, no growth
        try (JsonGenerator g = MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
            write(g, body);
        } catch (IOException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
        return new ApiResponse(status, JSON_TYPE, out.toByteArray());
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value == null) {
            g.writeNull();
        } else {
            g.writeObject(value);
        }
    }

    public static ApiResponse xml(int status, String root, Map<String, Object> body) {
        StringBuilder sb = new StringBuilder("<?xml version='1.0' encoding='UTF-8'?>");
        element(sb, root, body);
        return new ApiResponse(status, XML_TYPE, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void element(StringBuilder sb, String name, Object value) {
        if (value instanceof List<?> list) {
            for (Object item : list) {
                element(sb, name, item);
            }
            return;
        }
        sb.append('<').append(name).append('>');
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != null) {
                    element(sb, e.getKey().toString(), e.getValue());
                }
            }
        } else if (value != null) {
            escape(sb, value.toString());
        }
        sb.append("</").append(name).append('>');
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\t', '\n' -> sb.append(c);
                case '\r' -> sb.append("&#13;"); // a literal CR would be normalised to LF by the parser
                default -> {
                    if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
                        // Not allowed in XML 1.0 even as a character reference: a parser rejects the whole document.
                        // JSON (the default format) carries these values unchanged.
                        sb.append('\uFFFD');
                    } else if (Character.isSurrogate(c)) {
                        boolean pair = Character.isHighSurrogate(c)
                                && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1));
                        if (pair) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            sb.append('\uFFFD');
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
