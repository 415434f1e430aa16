package org.openkms.core.iam;

import java.time.Instant;

/**
 * An AccessKey. The secret is stored sealed under the root key, not hashed: HMAC verification needs the
 * secret itself. {@code principalName} is "root" for the account's administrator key; RAM users come later.
 */
public record AccessKeyRecord(
        String accessKeyId, byte[] sealedSecret, String principalName, String status, Instant creationDate) {
    public boolean active() {
        return "Active".equals(status);
    }
}
