package org.openkms.core.secret.rotation;

/** A rotation step failed. The message is shown to API callers and audited, so it must never hold a secret. */
public class RotationException extends Exception {
    public RotationException(String reason) {
        super(reason, null, false, false);
    }
}
