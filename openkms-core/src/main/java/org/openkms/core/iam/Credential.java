package org.openkms.core.iam;

/** An AccessKey with its secret in memory (for HMAC verification) and the principal it authenticates. */
public record Credential(String accessKeyId, String secret, Principal principal, boolean active) {
    @Override
    public String toString() {
        return "Credential[" + accessKeyId + "]"; // never the secret
    }
}
