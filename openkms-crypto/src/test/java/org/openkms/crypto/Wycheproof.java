package org.openkms.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Loads Wycheproof vector files from ../shared/test-vectors/wycheproof (Surefire sets openkms.shared.dir). */
public final class Wycheproof {
    private Wycheproof() {
    }

    public static JsonNode load(String file) throws IOException {
        String shared = System.getProperty("openkms.shared.dir", "../../shared");
        Path p = Path.of(shared, "test-vectors", "wycheproof", file);
        if (!Files.exists(p)) {
            throw new IllegalStateException("Wycheproof vectors not found at " + p.toAbsolutePath()
                    + " (the shared/ directory must sit beside the repository)");
        }
        return new ObjectMapper().readTree(p.toFile());
    }

    public static byte[] hex(JsonNode n) {
        return HexFormat.of().parseHex(n.asText());
    }
}
