package org.openkms.wire.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;
import org.openkms.wire.AuthorizationHeader;

/**
 * {@link AuthorizationHeader#parse}: the first thing the server reads of an ACS3/ACS4 request. Contract fuzzed: only
 * IllegalArgumentException; a parsed header has a Credential, a Signature and SignedHeaders without empty names, its
 * accessors do not throw, and toString leaves the Signature field out.
 */
class AuthorizationHeaderFuzzTest {

    @FuzzTest
    @Timeout(10)
    void parse(byte[] input) {
        String value = FuzzText.decode(input);
        AuthorizationHeader h;
        try {
            h = AuthorizationHeader.parse(value);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(h.algorithm()).isNotEmpty().doesNotContain(" ");
        assertThat(h.credential()).isNotEmpty();
        assertThat(h.signature()).isNotEmpty();
        assertThat(h.signedHeaders())
                .isNotEmpty()
                .allSatisfy(name -> assertThat(name).isNotEmpty().doesNotContain(";"));
        assertThat(h.accessKeyId()).isNotNull();
        assertThat(h.credentialScope()).isNotNull();
        // toString ends up in logs: everything but the Signature field. (The algorithm token is the caller's text up to
        // the first space and may itself contain "Signature=..."; the verifier refuses any but the two it knows.)
        assertThat(h.toString())
                .isEqualTo(h.algorithm() + " Credential=" + h.credential() + ",SignedHeaders="
                        + String.join(";", h.signedHeaders()));
        assertThat(h.isAcs3() && h.isAcs4()).isFalse();
    }
}
