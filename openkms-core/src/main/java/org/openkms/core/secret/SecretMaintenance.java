package org.openkms.core.secret;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets' background job: deletes secrets whose recovery window has ended and rotates managed secrets
 * whose NextRotationDate has passed, and deletes the AccessKeys that RAM secrets rotated out once their overlap has
 * passed. Each rotation outcome goes to {@code outcomes} (the server audits it).
 */
public final class SecretMaintenance implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SecretMaintenance.class);
    private final SecretService secrets;
    private final Consumer<SecretRotation.Outcome> outcomes;

    public SecretMaintenance(SecretService secrets, Consumer<SecretRotation.Outcome> outcomes) {
        this.secrets = secrets;
        this.outcomes = outcomes;
    }

    @Override
    public void run() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.error("secret maintenance failed; will retry on the next run", e);
        }
    }

    /** One pass; returns how many secrets it deleted or tried to rotate. */
    public int runOnce() {
        int purged = secrets.purgeExpired();
        List<SecretRotation.Outcome> rotated = secrets.rotation().rotateDue();
        for (SecretRotation.Outcome o : rotated) {
            if (o.failure() == null) {
                LOG.info("rotated secret {} to version {}", o.secretName(), o.versionId());
            } else {
                LOG.warn("rotation of secret {} failed: {}", o.secretName(), o.failure());
            }
            outcomes.accept(o);
        }
        List<String> retired = secrets.rotation().retireDue();
        for (String accessKeyId : retired) {
            LOG.info("deleted AccessKey {}: rotated out of a RAM secret and past its overlap", accessKeyId);
        }
        return purged + rotated.size() + retired.size();
    }
}
