package org.openkms.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * BouncyCastle is registered as a named provider at the end of the list and asked for by name only where
 * the JDK has no implementation (SM2/SM3/SM4, secp256k1), so JDK defaults stay in charge everywhere else.
 */
public final class Providers {
    private static final Provider BC = install();

    private Providers() {}

    public static Provider bouncyCastle() {
        return BC;
    }

    private static synchronized Provider install() {
        Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (existing != null) {
            return existing;
        }
        Provider bc = new BouncyCastleProvider();
        Security.addProvider(bc);
        return bc;
    }
}
