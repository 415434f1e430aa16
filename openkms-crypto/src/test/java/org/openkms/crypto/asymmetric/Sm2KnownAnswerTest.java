package org.openkms.crypto.asymmetric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.openkms.crypto.CryptoException;

/**
 * SM2 against the worked examples of GB/T 32918 (part 2 Annex A: signature; part 4 Annex A: encryption),
 * which use the 256-bit test curve of the standard, a fixed private key and a fixed random k. The
 * ciphertext is compared in GM/T 0009 DER framing, byte for byte (the same bytes OpenSSL's own SM2 test
 * expects). Plus round trips on the real curve (sm2p256v1).
 */
class Sm2KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final ECDomainParameters TEST_CURVE = testCurve();

    @Test
    void signatureMatchesGbt32918Part2AnnexA() throws Exception {
        BigInteger d = hex("128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263");
        ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, TEST_CURVE);
        ECPoint q = TEST_CURVE.getG().multiply(d).normalize();
        assertThat(q.getAffineXCoord().toBigInteger())
                .isEqualTo(hex("0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A"));
        // The API's Digest is e = SM3(Z_A ‖ M), computed by the caller; compute it here as a caller would.
        byte[] e = sm3(concat(za("ALICE123@YAHOO.COM", q), "message digest".getBytes(StandardCharsets.US_ASCII)));
        byte[] sig = Sm2.signDigest(priv, e, fixed("6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F"));
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(TEST_CURVE.getN(), sig);
        assertThat(rs[0]).isEqualTo(hex("40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1"));
        assertThat(rs[1]).isEqualTo(hex("6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7"));
        ECPublicKeyParameters pub = new ECPublicKeyParameters(q, TEST_CURVE);
        assertThat(Sm2.verifyDigest(pub, e, sig)).isTrue();
        e[0] ^= 1;
        assertThat(Sm2.verifyDigest(pub, e, sig)).isFalse();
    }

    @Test
    void encryptionMatchesGbt32918Part4AnnexA() throws Exception {
        BigInteger d = hex("1649AB77A00637BD5E2EFE283FBF353534AA7F7CB89463F208DDBC2920BB0DA0");
        ECPoint q = TEST_CURVE.getG().multiply(d).normalize();
        byte[] expected = HEX.parseHex("307B0220245C26FB68B1DDDDB12C4B6BF9F2B6D5FE60A383B0D18D1C4144ABF1"
                + "7F6252E7022076CB9264C2A7E88E52B19903FDC47378F605E36811F5C07423A2"
                + "4B84400F01B804209C3D7360C30156FAB7C80A0276712DA9D8094A634B766D3A"
                + "285E07480653426D0413650053A89B41C418B0C3AAD00D886C00286467");
        byte[] ct = Sm2.encrypt(
                new ECPublicKeyParameters(q, TEST_CURVE),
                "encryption standard".getBytes(StandardCharsets.US_ASCII),
                fixed("4C62EEFD6ECFC2B95B92FD6C3D9575148AFA17425546D49018E5388D49DD7B4F"));
        assertThat(HEX.formatHex(ct)).isEqualToIgnoringCase(HEX.formatHex(expected));
        ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, TEST_CURVE);
        assertThat(new String(Sm2.decrypt(priv, expected), StandardCharsets.US_ASCII))
                .isEqualTo("encryption standard");
        // The raw C1C3C2 form decrypts too.
        assertThat(new String(Sm2.decrypt(priv, Sm2.fromDer(expected)), StandardCharsets.US_ASCII))
                .isEqualTo("encryption standard");
        byte[] tampered = expected.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> Sm2.decrypt(priv, tampered)).isInstanceOf(CryptoException.class);
    }

    @Test
    void roundTripsOnTheRecommendedCurve() throws Exception {
        AsymmetricKeyPair kp = AsymmetricKeyPair.generate(AsymmetricKeyType.EC_SM2);
        byte[] digest = sm3("hello".getBytes());
        byte[] sig = SignatureAlgorithm.SM2DSA.sign(kp, digest);
        assertThat(SignatureAlgorithm.SM2DSA.verify(kp.publicKey(), digest, sig))
                .isTrue();
        assertThat(SignatureAlgorithm.SM2DSA.verify(kp.publicKey(), digest, new byte[] {0x30, 0}))
                .isFalse();
        byte[] ct = EncryptionAlgorithm.SM2PKE.encrypt(kp.publicKey(), "secret".getBytes());
        assertThat(ct[0]).isEqualTo((byte) 0x30);
        AsymmetricKeyPair reloaded = AsymmetricKeyPair.decode(AsymmetricKeyType.EC_SM2, kp.encode());
        assertThat(EncryptionAlgorithm.SM2PKE.decrypt(reloaded, ct)).isEqualTo("secret".getBytes());
        assertThat(SignatureAlgorithm.SM2DSA.verify(reloaded.publicKey(), digest, sig))
                .isTrue();
    }

    private static ECDomainParameters testCurve() {
        BigInteger p = hex("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3");
        BigInteger a = hex("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498");
        BigInteger b = hex("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A");
        BigInteger n = hex("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7");
        ECCurve curve = new ECCurve.Fp(p, a, b, n, BigInteger.ONE);
        ECPoint g = curve.createPoint(
                hex("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D"),
                hex("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2"));
        return new ECDomainParameters(curve, g, n, BigInteger.ONE);
    }

    /** Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2 §5.5). */
    private static byte[] za(String id, ECPoint q) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        int entl = idBytes.length * 8;
        return sm3(concat(
                new byte[] {(byte) (entl >> 8), (byte) entl},
                idBytes,
                fe(TEST_CURVE.getCurve().getA().toBigInteger()),
                fe(TEST_CURVE.getCurve().getB().toBigInteger()),
                fe(TEST_CURVE.getG().getAffineXCoord().toBigInteger()),
                fe(TEST_CURVE.getG().getAffineYCoord().toBigInteger()),
                fe(q.getAffineXCoord().toBigInteger()),
                fe(q.getAffineYCoord().toBigInteger())));
    }

    private static byte[] fe(BigInteger v) {
        return org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, v);
    }

    private static byte[] sm3(byte[] in) {
        SM3Digest d = new SM3Digest();
        d.update(in, 0, in.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static BigInteger hex(String h) {
        return new BigInteger(h, 16);
    }

    /** A "random" source that returns the standard's k, as the worked examples require. */
    private static SecureRandom fixed(String kHex) {
        byte[] k = HEX.parseHex(kHex);
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(k, k.length - bytes.length, bytes, 0, bytes.length);
            }
        };
    }
}
