package org.openkms.core.iam;

import java.time.Instant;

/** A policy attached to a user or role ({@code principalType} "User" or "Role"). */
public record Attachment(
        String principalType, String principalName, String policyType, String policyName, Instant attachDate) {
    public static final String USER = "User";
    public static final String ROLE = "Role";
}
