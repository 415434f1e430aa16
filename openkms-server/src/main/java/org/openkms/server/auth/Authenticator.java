package org.openkms.server.auth;

import java.time.Clock;
import java.util.List;
import org.openkms.core.accesspoint.AccessPoints;
import org.openkms.core.error.KmsException;
import org.openkms.core.iam.Credential;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.Principal;
import org.openkms.server.api.ApiRequest;
import org.openkms.wire.Acs3Signature;
import org.openkms.wire.Acs4Signature;
import org.openkms.wire.AcsHeaders;
import org.openkms.wire.AuthorizationHeader;
import org.openkms.wire.RpcSignature;
import org.openkms.wire.Signatures;
import org.openkms.wire.Timestamps;

/**
 * Establishes who signed a request. Three schemes
 * (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
 * https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism), chosen by what the request carries: an
 * {@code Authorization: ACS3-…} header (Java V2 SDK default, V1 SDK in V3 mode), {@code ACS4-…}, or a {@code Signature}
 * parameter (RPC HMAC-SHA1: V1 SDK, Node SDK, V2 in "v2" mode). Freshness (±15 minutes) and nonce reuse are checked
 * after the signature, so an unauthenticated caller cannot burn someone's nonces.
 *
 * <p>A fourth, RPC with {@code SignatureType=PRIVATEKEY} and {@code SignatureMethod=SHA256withRSA}, is signed with an
 * application access point's ClientKey instead of an AccessKey: the Secrets Manager client's {@code client_key}
 * credentials on the shared gateway. Its principal is the ClientKey, authorised by its access point's policies as on
 * the instance gateway, and it may only call GetSecretValue, the one call those clients make.
 */
public final class Authenticator {
    public static final long WINDOW_MILLIS = 15 * 60 * 1000L;
    private final CredentialStore credentials;
    private final Clock clock;
    private final NonceCache nonces;
    private final StsTokens tokens;
    private final AccessPoints accessPoints;
    private final ClientKeySignatures clientKeySignatures = new ClientKeySignatures();

    /** SignatureType of a request signed with a ClientKey's private key (aliyun-java-sdk-core KeyPairCredentials). */
    public static final String PRIVATE_KEY = "PRIVATEKEY";
    /** SignatureMethod of a ClientKey signature. */
    public static final String SHA256_WITH_RSA = "SHA256withRSA";
    /** The only action a ClientKey may call on this gateway, with the API version it belongs to. */
    private static final String CLIENT_KEY_ACTION = "GetSecretValue";

    private static final String KMS_VERSION = "2016-01-20";

    public Authenticator(CredentialStore credentials, Clock clock) {
        this(credentials, null, clock);
    }

    /** With {@code tokens}, requests signed with STS credentials (SecurityToken) are accepted until they expire. */
    public Authenticator(CredentialStore credentials, StsTokens tokens, Clock clock) {
        this(credentials, tokens, clock, NonceCache.defaultMaxEntries());
    }

    /** @param maxNonces how many (AccessKey, nonce) pairs the replay cache may hold before it refuses requests */
    public Authenticator(CredentialStore credentials, StsTokens tokens, Clock clock, long maxNonces) {
        this(credentials, tokens, null, clock, maxNonces);
    }

    /** With {@code accessPoints}, requests signed with an application access point's ClientKey are accepted too. */
    public Authenticator(CredentialStore credentials, StsTokens tokens, AccessPoints accessPoints, Clock clock) {
        this(credentials, tokens, accessPoints, clock, NonceCache.defaultMaxEntries());
    }

    public Authenticator(
            CredentialStore credentials, StsTokens tokens, AccessPoints accessPoints, Clock clock, long maxNonces) {
        this.nonces = new NonceCache(WINDOW_MILLIS, maxNonces);
        this.credentials = credentials;
        this.tokens = tokens;
        this.accessPoints = accessPoints;
        this.clock = clock;
    }

    /**
     * Who signed the request, and whether its empty-valued parameters were left out of the signature (the V2 SDK's
     * RPC mode signs without them); the gateway must then not act on them, since anyone could have added one.
     */
    public record Authenticated(Principal principal, boolean emptyValuesUnsigned) {}

    public Principal authenticate(ApiRequest req) {
        return authenticateRequest(req).principal();
    }

    public Authenticated authenticateRequest(ApiRequest req) {
        String authorization = req.header(AcsHeaders.AUTHORIZATION);
        if (authorization != null && (authorization.startsWith("ACS3-") || authorization.startsWith("ACS4-"))) {
            return new Authenticated(authenticateAcs(req, authorization), false);
        }
        if (req.param(RpcSignature.SIGNATURE_PARAM) != null) {
            return PRIVATE_KEY.equals(req.param("SignatureType")) ? authenticateClientKey(req) : authenticateRpc(req);
        }
        throw AuthErrors.incompleteSignature("No Authorization header and no Signature parameter.");
    }

    private Authenticated authenticateRpc(ApiRequest req) {
        if (!RpcSignature.SIGNATURE_METHOD.equalsIgnoreCase(orEmpty(req.param("SignatureMethod")))
                || !RpcSignature.SIGNATURE_VERSION.equals(req.param("SignatureVersion"))) {
            throw AuthErrors.incompleteSignature(
                    "Only SignatureMethod HMAC-SHA1 with SignatureVersion 1.0 is supported.");
        }
        String akId = req.param("AccessKeyId");
        if (akId == null || akId.isEmpty()) {
            throw AuthErrors.incompleteSignature("AccessKeyId is missing.");
        }
        // RPC signs parameters only: an x-acs-action/x-acs-version header is outside the signature, so it may repeat
        // the signed Action/Version (the V1 SDK sends both) but never replace them.
        requireSameAsSigned(req, AcsHeaders.ACTION, "Action");
        requireSameAsSigned(req, AcsHeaders.VERSION, "Version");
        Credential c = credential(akId, req.param("SecurityToken"));
        // The V1 SDK signs query and form parameters together; KMS clients always send an empty body.
        java.util.Map<String, String> all = req.form().isEmpty() ? req.query() : merged(req);
        RpcSignature.Match match =
                RpcSignature.check(req.method(), all, c.secret(), req.param(RpcSignature.SIGNATURE_PARAM));
        if (match == RpcSignature.Match.NONE) {
            throw AuthErrors.signatureDoesNotMatch(null);
        }
        checkFreshness(akId, req.param("Timestamp"), req.param("SignatureNonce"));
        return new Authenticated(c.principal(), match == RpcSignature.Match.WITHOUT_EMPTY_VALUES);
    }

    /**
     * RPC signed with a ClientKey: the same string-to-sign as HMAC-SHA1, every parameter covered, the signature
     * SHA256withRSA by the ClientKey's private key, checked with its certificate. Then the key's validity window and
     * access point, freshness and nonce as for an AccessKey, and the action: only GetSecretValue.
     */
    private Authenticated authenticateClientKey(ApiRequest req) {
        if (accessPoints == null) {
            throw AuthErrors.incompleteSignature("SignatureType PRIVATEKEY is not supported.");
        }
        if (!SHA256_WITH_RSA.equals(req.param("SignatureMethod"))
                || !RpcSignature.SIGNATURE_VERSION.equals(req.param("SignatureVersion"))) {
            throw AuthErrors.incompleteSignature(
                    "SignatureType PRIVATEKEY needs SignatureMethod SHA256withRSA with SignatureVersion 1.0.");
        }
        String keyId = req.param("AccessKeyId");
        if (keyId == null || keyId.isEmpty()) {
            throw AuthErrors.incompleteSignature("AccessKeyId is missing.");
        }
        String token = req.param("SecurityToken");
        if (token != null && !token.isEmpty()) {
            throw AuthErrors.incompleteSignature("A ClientKey signature takes no SecurityToken.");
        }
        requireSameAsSigned(req, AcsHeaders.ACTION, "Action");
        requireSameAsSigned(req, AcsHeaders.VERSION, "Version");
        AccessPoints.ClientKey key;
        try {
            key = accessPoints.clientKey(keyId);
        } catch (KmsException notFound) {
            throw AuthErrors.unknownAccessKey();
        }
        java.util.Map<String, String> all = req.form().isEmpty() ? req.query() : merged(req);
        String signature = req.param(RpcSignature.SIGNATURE_PARAM);
        String withEmpty = RpcSignature.stringToSign(req.method(), all, true);
        boolean emptyValuesUnsigned = false;
        if (!clientKeySignatures.verifies(key, withEmpty, signature)) {
            String withoutEmpty = RpcSignature.stringToSign(req.method(), all, false);
            if (withoutEmpty.equals(withEmpty) || !clientKeySignatures.verifies(key, withoutEmpty, signature)) {
                throw AuthErrors.signatureDoesNotMatch(null);
            }
            emptyValuesUnsigned = true;
        }
        long now = clock.millis();
        if (now < key.notBefore() || now >= key.notAfter()) {
            throw AuthErrors.clientKeyNotValidNow();
        }
        try {
            accessPoints.aap(key.aapName());
        } catch (KmsException gone) {
            throw AuthErrors.unknownAccessKey(); // a ClientKey outlives its deleted access point only as a dead key
        }
        checkFreshness(keyId, req.param("Timestamp"), req.param("SignatureNonce"));
        if (!CLIENT_KEY_ACTION.equals(req.param("Action")) || !KMS_VERSION.equals(req.param("Version"))) {
            throw AuthErrors.clientKeyActionRefused();
        }
        return new Authenticated(Principal.clientKey(key.aapName(), key.clientKeyId()), emptyValuesUnsigned);
    }

    private Principal authenticateAcs(ApiRequest req, String authorization) {
        AuthorizationHeader auth;
        try {
            auth = AuthorizationHeader.parse(authorization);
        } catch (IllegalArgumentException e) {
            throw AuthErrors.incompleteSignature("The Authorization header is malformed.");
        }
        boolean v4 = auth.isAcs4();
        if (!(v4 ? Acs4Signature.ALGORITHM : Acs3Signature.ALGORITHM).equals(auth.algorithm())) {
            throw AuthErrors.incompleteSignature("Unsupported signature algorithm " + auth.algorithm() + ".");
        }
        List<String> signed = auth.signedHeaders();
        if (!signed.contains(AcsHeaders.DATE) || !signed.contains(AcsHeaders.SIGNATURE_NONCE)) {
            throw AuthErrors.incompleteSignature("x-acs-date and x-acs-signature-nonce must be signed.");
        }
        for (String h : signed) {
            if (req.header(h) == null) {
                throw AuthErrors.incompleteSignature("Signed header " + h + " is missing.");
            }
        }
        requireActedOnHeadersSigned(req, signed);
        // The query is signed: an Action/Version parameter next to the (signed) header must agree with it.
        requireSameAsSigned(req, AcsHeaders.ACTION, "Action");
        requireSameAsSigned(req, AcsHeaders.VERSION, "Version");
        String bodyHash = Acs3Signature.sha256Hex(req.body());
        String claimedHash = req.header(AcsHeaders.CONTENT_SHA256);
        if (claimedHash != null && !claimedHash.equalsIgnoreCase(bodyHash)) {
            throw AuthErrors.incompleteSignature("x-acs-content-sha256 does not match the body.");
        }
        String akId = auth.accessKeyId();
        String headerAk = req.header(AcsHeaders.ACCESS_KEY_ID);
        if (headerAk != null && !headerAk.equals(akId)) {
            throw AuthErrors.incompleteSignature("x-acs-accesskey-id does not match the Credential.");
        }
        Credential c = credential(akId, req.header(AcsHeaders.SECURITY_TOKEN));
        String stringToSign;
        String expected;
        if (v4) {
            List<String> scope = auth.credentialScope();
            if (scope.size() != 4) {
                throw AuthErrors.incompleteSignature("The ACS4 Credential scope is malformed.");
            }
            stringToSign =
                    Acs4Signature.stringToSign(req.method(), req.path(), req.query(), signed, req.headers(), bodyHash);
            expected = Acs4Signature.sign(stringToSign, c.secret(), scope.get(0), scope.get(1), scope.get(2));
        } else {
            stringToSign =
                    Acs3Signature.stringToSign(req.method(), req.path(), req.query(), signed, req.headers(), bodyHash);
            expected = Acs3Signature.sign(stringToSign, c.secret());
        }
        if (!Signatures.constantTimeEquals(expected, auth.signature())) {
            throw AuthErrors.signatureDoesNotMatch(stringToSign);
        }
        checkFreshness(akId, req.header(AcsHeaders.DATE), req.header(AcsHeaders.SIGNATURE_NONCE));
        return c.principal();
    }

    /**
     * The credential that signed the request: with a SecurityToken, the STS session sealed inside it (which must
     * be for this AccessKeyId and unexpired); otherwise a stored AccessKey. The token's secret is what the
     * signature is checked with, so a token cannot be used with another key.
     */
    private Credential credential(String accessKeyId, String securityToken) {
        if (securityToken != null && !securityToken.isEmpty() && tokens != null) {
            StsTokens.Session s;
            try {
                s = tokens.open(securityToken);
            } catch (IllegalArgumentException e) {
                throw AuthErrors.securityTokenMalformed();
            }
            if (!s.accessKeyId().equals(accessKeyId)) {
                throw AuthErrors.securityTokenMismatch();
            }
            if (clock.millis() >= s.expiresMillis()) {
                throw AuthErrors.securityTokenExpired();
            }
            return new Credential(accessKeyId, s.secret(), s.principal(), true);
        }
        if (accessKeyId.startsWith("STS.")) {
            throw AuthErrors.securityTokenMalformed(); // temporary keys are only valid with their token
        }
        Credential c = credentials.find(accessKeyId).orElseThrow(AuthErrors::unknownAccessKey);
        if (!c.active()) {
            throw AuthErrors.disabledAccessKey();
        }
        return c;
    }

    private void checkFreshness(String accessKeyId, String timestamp, String nonce) {
        long now = clock.millis();
        long t;
        try {
            t = Timestamps.parse(timestamp);
        } catch (RuntimeException e) {
            throw AuthErrors.illegalTimestamp();
        }
        if (Math.abs(now - t) > WINDOW_MILLIS) {
            throw AuthErrors.illegalTimestamp();
        }
        if (nonce == null || nonce.isEmpty()) {
            throw AuthErrors.missingNonce();
        }
        switch (nonces.firstUse(accessKeyId, nonce, t, now)) {
            case REUSED -> throw AuthErrors.nonceUsed();
            case FULL -> throw AuthErrors.throttled();
            case FIRST_USE -> {}
        }
    }

    /**
     * Every header the server acts on must be covered by the signature. The official clients sign every
     * {@code x-acs-*} header they send (and {@code content-type}), so an unsigned one can only have been added on the
     * way: refusing it stops a captured request from being turned into another action ({@code x-acs-action}), version
     * or token. {@code content-type} decides whether the body is read as parameters, so it must be signed whenever
     * a form body is used.
     */
    private static void requireActedOnHeadersSigned(ApiRequest req, List<String> signed) {
        for (String name : req.headers().keySet()) {
            if (name.startsWith("x-acs-") && !signed.contains(name)) {
                throw AuthErrors.incompleteSignature("Header " + name + " is not signed.");
            }
        }
        if (!req.form().isEmpty() && !signed.contains(AcsHeaders.CONTENT_TYPE)) {
            throw AuthErrors.incompleteSignature("A form body needs a signed content-type header.");
        }
    }

    /** A header that names the same thing as a signed parameter may repeat it, never contradict it. */
    private static void requireSameAsSigned(ApiRequest req, String header, String param) {
        String h = req.header(header);
        if (h == null) {
            return;
        }
        String p = req.param(param);
        if (p == null ? !isSignedHeaderRequest(req) : !p.equals(h)) {
            throw AuthErrors.incompleteSignature(
                    "The " + header + " header does not match the signed " + param + " parameter.");
        }
    }

    /** ACS3/ACS4 requests carry the action and version in signed headers; RPC requests never sign headers. */
    private static boolean isSignedHeaderRequest(ApiRequest req) {
        String a = req.header(AcsHeaders.AUTHORIZATION);
        return a != null && (a.startsWith("ACS3-") || a.startsWith("ACS4-"));
    }

    /** Query and form together; ApiRequest refuses a name in both, so nothing is overwritten here. */
    private static java.util.Map<String, String> merged(ApiRequest req) {
        java.util.Map<String, String> all = new java.util.HashMap<>(req.form());
        all.putAll(req.query());
        return all;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
