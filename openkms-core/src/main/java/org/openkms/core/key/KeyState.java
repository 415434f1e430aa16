package org.openkms.core.key;

import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;

/**
 * Key states
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/impact-of-cmk-status-on-api-operations);
 * the names are the wire values.
 */
public enum KeyState {
    Enabled,
    Disabled,
    PendingDeletion,
    PendingImport;

    /** The 409 a cryptographic operation gets in this state, or null when the key may be used. */
    public KmsException cryptoRejection() {
        switch (this) {
            case Enabled:
                return null;
            case Disabled:
                return Errors.disabled();
            case PendingDeletion:
                return Errors.pendingDeletion();
            default:
                return Errors.pendingImport();
        }
    }
}
