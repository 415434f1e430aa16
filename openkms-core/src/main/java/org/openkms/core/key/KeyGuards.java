package org.openkms.core.key;

import java.time.Instant;
import org.openkms.core.error.Errors;
import org.openkms.core.error.KmsException;

/** Checks every cryptographic call makes on its key, in one place so all operations answer alike. */
public final class KeyGuards {
    private KeyGuards() {}

    /**
     * Rejects a key whose state forbids crypto (409s of the state table), and imported material past its
     * MaterialExpireTime: between expiry and the maintenance job's cleanup the key already behaves as
     * PendingImport, as the API describes.
     */
    static void usable(KeyRecord k, Instant now) {
        KmsException rejection = k.state().cryptoRejection();
        if (rejection != null) {
            throw rejection;
        }
        if (k.materialExpireTime() != null && !now.isBefore(k.materialExpireTime())) {
            throw Errors.pendingImport();
        }
    }
}
