package org.openkms.core.key;

import java.time.Instant;

/** An alias ({@code alias/<name>}) pointing at one key. */
public record AliasRecord(String aliasName, String keyId, Instant creationDate) {}
