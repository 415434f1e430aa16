package org.openkms.core.key;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job: destroys keys whose deletion window has ended, deletes imported key material whose
 * MaterialExpireTime has passed (key → PendingImport) and rotates keys whose automatic rotation is due. Idempotent and safe to run on several nodes (writes are revision-checked).
 */
public final class KeyMaintenance implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyMaintenance.class);
    private final KeyService keys;
    private final Clock clock;

    public KeyMaintenance(KeyService keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.error("key maintenance failed; will retry on the next run", e);
        }
    }

    /** One pass; returns how many keys it destroyed or rotated. */
    public int runOnce() {
        Instant now = clock.instant();
        int done = 0;
        for (KeyRecord k : keys.listKeys()) {
            if (k.state() == KeyState.PendingDeletion
                    && k.deleteDate() != null
                    && !k.deleteDate().isAfter(now)) {
                keys.destroy(k.keyId());
                LOG.info("destroyed key {} after its deletion window", k.keyId());
                done++;
            } else if (k.materialExpireTime() != null
                    && k.primaryKeyVersion() != null
                    && !k.materialExpireTime().isAfter(now)) {
                keys.deleteKeyMaterial(k.keyId());
                LOG.info("deleted the expired imported material of key {}", k.keyId());
                done++;
            } else if (k.state() == KeyState.Enabled
                    && k.automaticRotation()
                    && !k.nextRotationDate().isAfter(now)) {
                var version = keys.rotateIfDue(k.keyId());
                if (version != null) {
                    LOG.info("rotated key {} to version {}", k.keyId(), version.keyVersionId());
                    done++;
                }
            }
        }
        return done;
    }
}
