package org.openkms.core.error;

/** The storage backend failed (I/O, constraint, connection). Maps to InternalFailure at the edge. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
