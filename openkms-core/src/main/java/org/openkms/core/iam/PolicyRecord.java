package org.openkms.core.iam;

import java.time.Instant;

/** A stored custom policy (system policies are built in and never stored). Only version v1 exists. */
public record PolicyRecord(
        String policyName,
        String policyType,
        String description,
        String document,
        Instant createDate,
        Instant updateDate) {
    public static final String CUSTOM = "Custom";
    public static final String SYSTEM = "System";
}
