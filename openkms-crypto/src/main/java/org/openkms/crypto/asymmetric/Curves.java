package org.openkms.crypto.asymmetric;

import java.security.interfaces.ECPublicKey;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/** Curve identification by domain parameters (provider-neutral: JDK and BC keys name curves differently). */
final class Curves {
    private Curves() {}

    static boolean matches(ECPublicKey key, AsymmetricKeyType type) {
        X9ECParameters expected = ECNamedCurveTable.getByName(type.curve());
        var params = key.getParams();
        return params != null
                && params.getOrder().equals(expected.getN())
                && params.getGenerator()
                        .getAffineX()
                        .equals(expected.getG().getAffineXCoord().toBigInteger())
                && params.getCurve().getB().equals(expected.getCurve().getB().toBigInteger());
    }
}
