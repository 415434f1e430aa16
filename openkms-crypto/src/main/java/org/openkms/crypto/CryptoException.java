package org.openkms.crypto;

/**
 * A cryptographic operation failed on its input (bad tag, wrong key, malformed blob).
 * Carries no key material and no plaintext: callers map it to an API error as is.
 */
public class CryptoException extends Exception {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
