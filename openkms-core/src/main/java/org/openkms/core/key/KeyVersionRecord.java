package org.openkms.core.key;

import java.time.Instant;

/** One version of a key: its id (a 36-character UUID, written into every ciphertext) and sealed material. */
public record KeyVersionRecord(String keyId, String keyVersionId, Instant creationDate, byte[] sealedMaterial) {}
