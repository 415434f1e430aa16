package org.openkms.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-streamed JSON is byte for byte what Jackson's ObjectMapper wrote before, for every kind of value. */
class ResponseEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Other(String name, int size) {}

    @Test
    void writesWhatTheObjectMapperWrites() throws Exception {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("Key", List.of(Map.of("KeyId", "k-1"), Map.of("KeyId", "k-2")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("KeyId", "key-\u00e9\u4e2d\ud83d\ude00");
        body.put("Plaintext", "a\"b\\c\n\t\u0001\u007f\u2028");
        body.put("TotalCount", 2);
        body.put("Size", 12_345_678_901L);
        body.put("Truncated", Boolean.FALSE);
        body.put("Missing", null);
        body.put("Keys", keys);
        body.put("Empty", List.of());
        body.put("Mixed", Arrays.asList("x", 1, null, true));
        body.put("Ratio", new BigDecimal("0.25"));
        body.put("Double", 1.5d);
        body.put("Record", new Other("n", 3));
        body.put("RequestId", "6C6AA8D4-3F6E-4D1B-9B2B-0123456789AB");

        byte[] ours = ResponseEncoder.json(200, body).body();

        assertThat(new String(ours, StandardCharsets.UTF_8))
                .isEqualTo(new String(MAPPER.writeValueAsBytes(body), StandardCharsets.UTF_8));
    }
}
