package org.openkms.crypto.rootkey;

import org.openkms.crypto.CryptoException;

/**
 * Seals key material before it reaches storage and unseals it when a key is loaded. Implementations: a key
 * file (default), later a passphrase-derived key and a PKCS#11 HSM. The associated data binds sealed
 * material to the row it belongs to (key id, version id), so rows cannot be swapped in the database.
 */
public interface RootKeyProvider {
    /** A short, stable name written into sealed records, e.g. "file". */
    String id();

    byte[] seal(byte[] material, byte[] associatedData);

    byte[] unseal(byte[] sealed, byte[] associatedData) throws CryptoException;
}
