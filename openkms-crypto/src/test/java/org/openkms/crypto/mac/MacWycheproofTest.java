package org.openkms.crypto.mac;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openkms.crypto.Wycheproof;

/** Wycheproof HMAC-SHA256 and HMAC-SM3 with full-length tags (GenerateMac returns the whole MAC). */
class MacWycheproofTest {

    @ParameterizedTest
    @CsvSource({"hmac_sha256_test.json, HMAC_SHA_256, 256", "hmac_sm3_test.json, HMAC_SM3, 256"})
    void matchesWycheproof(String file, MacAlgorithm algorithm, int tagBits) throws Exception {
        int valid = 0;
        int invalid = 0;
        for (JsonNode group : Wycheproof.load(file).get("testGroups")) {
            if (group.get("tagSize").asInt() != tagBits) {
                continue;
            }
            for (JsonNode t : group.get("tests")) {
                MacKey key = new MacKey(algorithm, Wycheproof.hex(t.get("key")));
                byte[] msg = Wycheproof.hex(t.get("msg"));
                byte[] tag = Wycheproof.hex(t.get("tag"));
                String id = file + " tcId " + t.get("tcId").asInt();
                if ("valid".equals(t.get("result").asText())) {
                    assertThat(key.compute(msg)).as(id).isEqualTo(tag);
                    assertThat(key.verify(msg, tag)).as(id).isTrue();
                    valid++;
                } else {
                    assertThat(key.verify(msg, tag)).as(id).isFalse();
                    invalid++;
                }
            }
        }
        assertThat(valid).isGreaterThan(10);
        assertThat(invalid).isGreaterThan(10);
    }
}
