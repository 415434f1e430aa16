package org.openkms.crypto.asymmetric;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.openkms.crypto.CryptoException;

/**
 * SM2 (GB/T 32918) as the KMS API uses it.
 *
 * <p>Signatures (SM2DSA) are computed over the caller's digest e = SM3(Z_A ‖ M) — the API's Digest — which
 * BouncyCastle's JCA layer cannot do (it always hashes Z_A itself), so the two equations of GB/T 32918.2 §6/§7
 * are written out here on BC's curve arithmetic. Output is DER {@code SEQUENCE {r, s}} (GM/T 0009).
 *
 * <p>Encryption (SM2PKE) uses BC's engine in C1C3C2 order and frames the result as GM/T 0009's
 * {@code SM2Cipher ::= SEQUENCE {x INTEGER, y INTEGER, hash OCTET STRING (C3), cipherText OCTET STRING (C2)}},
 * the form OpenSSL 3 reads and writes. Decryption also accepts the raw {@code 04 ‖ C1 ‖ C3 ‖ C2} form.
 */
public final class Sm2 {
    private static final int COORDINATE_BYTES = 32;
    private static final int HASH_BYTES = 32;

    private Sm2() {}

    /** GB/T 32918 default distinguishing identifier (also OpenSSL's and BouncyCastle's default). */
    public static final byte[] DEFAULT_ID = "1234567812345678".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The Digest a caller sends to AsymmetricSign for SM2DSA: e = SM3(Z_A ‖ M) with
     * Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5, §6.1).
     */
    public static byte[] messageDigest(AsymmetricPublicKey key, byte[] id, byte[] message) {
        ECPublicKeyParameters q = key.sm2Public();
        if (q == null) {
            throw new IllegalArgumentException("not an SM2 key");
        }
        ECDomainParameters ec = q.getParameters();
        org.bouncycastle.crypto.digests.SM3Digest sm3 = new org.bouncycastle.crypto.digests.SM3Digest();
        int entl = id.length * 8;
        sm3.update((byte) (entl >> 8));
        sm3.update((byte) entl);
        sm3.update(id, 0, id.length);
        ECPoint qa = q.getQ().normalize();
        for (java.math.BigInteger v : new java.math.BigInteger[] {
            ec.getCurve().getA().toBigInteger(),
            ec.getCurve().getB().toBigInteger(),
            ec.getG().getAffineXCoord().toBigInteger(),
            ec.getG().getAffineYCoord().toBigInteger(),
            qa.getAffineXCoord().toBigInteger(),
            qa.getAffineYCoord().toBigInteger()
        }) {
            byte[] b = BigIntegers.asUnsignedByteArray(COORDINATE_BYTES, v);
            sm3.update(b, 0, b.length);
        }
        byte[] z = new byte[32];
        sm3.doFinal(z, 0);
        sm3.update(z, 0, z.length);
        sm3.update(message, 0, message.length);
        byte[] e = new byte[32];
        sm3.doFinal(e, 0);
        return e;
    }

    /** Signs a 32-byte digest; k is drawn from {@code random} (fixed only in known-answer tests). */
    public static byte[] signDigest(ECPrivateKeyParameters key, byte[] digest, SecureRandom random) {
        ECDomainParameters ec = key.getParameters();
        BigInteger n = ec.getN();
        BigInteger e = new BigInteger(1, digest);
        BigInteger d = key.getD();
        FixedPointCombMultiplier mult = new FixedPointCombMultiplier();
        BigInteger r;
        BigInteger s;
        do {
            BigInteger k;
            do {
                k = BigIntegers.createRandomBigInteger(n.bitLength(), random);
            } while (k.signum() == 0 || k.compareTo(n) >= 0);
            BigInteger x1 =
                    mult.multiply(ec.getG(), k).normalize().getAffineXCoord().toBigInteger();
            r = e.add(x1).mod(n);
            if (r.signum() == 0 || r.add(k).equals(n)) {
                continue;
            }
            // s = (1 + d)^-1 · (k − r·d) mod n
            BigInteger inv = BigIntegers.modOddInverse(n, d.add(BigInteger.ONE));
            s = k.subtract(r.multiply(d)).mod(n).multiply(inv).mod(n);
            if (s.signum() != 0) {
                return encodeSignature(n, r, s);
            }
        } while (true);
    }

    public static boolean verifyDigest(ECPublicKeyParameters key, byte[] digest, byte[] signature) {
        ECDomainParameters ec = key.getParameters();
        BigInteger n = ec.getN();
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(n, signature); // strict DER, re-encoding checked
        } catch (IOException | RuntimeException ex) {
            return false;
        }
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        BigInteger t = r.add(s).mod(n);
        if (t.signum() == 0) {
            return false;
        }
        ECPoint p = ECAlgorithms.sumOfTwoMultiplies(ec.getG(), s, key.getQ(), t).normalize();
        if (p.isInfinity()) {
            return false;
        }
        BigInteger e = new BigInteger(1, digest);
        return e.add(p.getAffineXCoord().toBigInteger()).mod(n).equals(r);
    }

    /** SM2 encryption; returns the GM/T 0009 DER form. */
    public static byte[] encrypt(ECPublicKeyParameters key, byte[] plaintext, SecureRandom random) {
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(key, random));
        try {
            return toDer(engine.processBlock(plaintext, 0, plaintext.length));
        } catch (InvalidCipherTextException ex) {
            throw new IllegalStateException("SM2 encryption failed", ex);
        }
    }

    public static byte[] decrypt(ECPrivateKeyParameters key, byte[] ciphertext) throws CryptoException {
        byte[] raw = ciphertext.length > 0 && ciphertext[0] == 0x30 ? fromDer(ciphertext) : ciphertext;
        if (raw.length < 1 + 2 * COORDINATE_BYTES + HASH_BYTES || raw[0] != 0x04) {
            throw new CryptoException("SM2 ciphertext is malformed");
        }
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(false, key);
        try {
            return engine.processBlock(raw, 0, raw.length);
        } catch (InvalidCipherTextException | RuntimeException ex) {
            throw new CryptoException("SM2 decryption failed");
        }
    }

    /** {@code 04 ‖ x ‖ y ‖ C3 ‖ C2} → SM2Cipher DER. */
    static byte[] toDer(byte[] raw) {
        int c2Start = 1 + 2 * COORDINATE_BYTES + HASH_BYTES;
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 1, 1 + COORDINATE_BYTES))));
        v.add(new ASN1Integer(
                new BigInteger(1, Arrays.copyOfRange(raw, 1 + COORDINATE_BYTES, 1 + 2 * COORDINATE_BYTES))));
        v.add(new DEROctetString(Arrays.copyOfRange(raw, 1 + 2 * COORDINATE_BYTES, c2Start)));
        v.add(new DEROctetString(Arrays.copyOfRange(raw, c2Start, raw.length)));
        try {
            return new DERSequence(v).getEncoded(ASN1Encoding.DER);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** SM2Cipher DER → {@code 04 ‖ x ‖ y ‖ C3 ‖ C2}; strict: exactly four fields, 32-byte hash, DER only. */
    static byte[] fromDer(byte[] der) throws CryptoException {
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(der);
            if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
                throw new CryptoException("SM2 ciphertext is not DER");
            }
            ASN1Sequence seq = ASN1Sequence.getInstance(p);
            if (seq.size() != 4) {
                throw new CryptoException("SM2 ciphertext must have four fields");
            }
            BigInteger x = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
            BigInteger y = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
            byte[] c3 = ASN1OctetString.getInstance(seq.getObjectAt(2)).getOctets();
            byte[] c2 = ASN1OctetString.getInstance(seq.getObjectAt(3)).getOctets();
            if (c3.length != HASH_BYTES || x.bitLength() > 256 || y.bitLength() > 256) {
                throw new CryptoException("SM2 ciphertext fields have the wrong size");
            }
            byte[] out = new byte[1 + 2 * COORDINATE_BYTES + HASH_BYTES + c2.length];
            out[0] = 0x04;
            BigIntegers.asUnsignedByteArray(x, out, 1, COORDINATE_BYTES);
            BigIntegers.asUnsignedByteArray(y, out, 1 + COORDINATE_BYTES, COORDINATE_BYTES);
            System.arraycopy(c3, 0, out, 1 + 2 * COORDINATE_BYTES, HASH_BYTES);
            System.arraycopy(c2, 0, out, 1 + 2 * COORDINATE_BYTES + HASH_BYTES, c2.length);
            return out;
        } catch (IOException | RuntimeException ex) {
            throw new CryptoException("SM2 ciphertext is malformed");
        }
    }

    private static byte[] encodeSignature(BigInteger n, BigInteger r, BigInteger s) {
        try {
            return StandardDSAEncoding.INSTANCE.encode(n, r, s);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
