package org.openkms.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;

/**
 * Loads Wycheproof vector files (https://github.com/C2SP/wycheproof) from the test classpath. They live in
 * {@code src/test/resources/wycheproof/}, whose README says which upstream commit they come from and which test
 * uses each; they are on the classpath so the tests run from a plain clone, whatever the working directory.
 */
public final class Wycheproof {
    private static final String FOLDER = "/wycheproof/";

    private Wycheproof() {}

    public static JsonNode load(String file) throws IOException {
        try (InputStream in = Wycheproof.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("Wycheproof vector file " + file
                        + " is not on the test classpath; copy it"
                        + " unchanged from the upstream testvectors_v1/ folder into src/test/resources" + FOLDER);
            }
            return new ObjectMapper().readTree(in);
        }
    }

    public static byte[] hex(JsonNode n) {
        return HexFormat.of().parseHex(n.asText());
    }
}
