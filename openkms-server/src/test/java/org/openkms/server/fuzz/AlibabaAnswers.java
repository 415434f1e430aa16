package org.openkms.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.openkms.server.api.ApiResponse;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The property every fuzzed request must have: never a 5xx, and always an answer the official SDKs can read — JSON
 * or (Format=XML) XML; an error carries Code, Message and RequestId, a success a RequestId
 * (https://www.alibabacloud.com/help/en/kms/key-management-service/developer-reference/api-error-codes).
 */
final class AlibabaAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadLocal<DocumentBuilder> XML = ThreadLocal.withInitial(AlibabaAnswers::xmlParser);

    private AlibabaAnswers() {}

    /** @return the error Code, or null for a success */
    static String check(ApiResponse r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.status()).as("status of %s", body).isBetween(200, 499);
        String code;
        if (r.contentType().startsWith("application/json")) {
            code = json(r, body);
        } else if (r.contentType().startsWith("text/xml")) {
            code = xml(r, body);
        } else {
            throw new AssertionError("content type " + r.contentType() + ": " + body);
        }
        assertThat(code).as(body).isNotEqualTo("InternalFailure");
        return code;
    }

    private static String json(ApiResponse r, String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
        assertThat(n.isObject()).as(body).isTrue();
        assertThat(n.path("RequestId").asText()).as(body).isNotEmpty();
        if (r.status() == 200) {
            assertThat(n.has("Code")).as(body).isFalse();
            return null;
        }
        assertThat(n.path("Code").isTextual() && !n.path("Code").asText().isEmpty())
                .as(body)
                .isTrue();
        assertThat(n.path("Message").isTextual()).as(body).isTrue();
        assertThat(n.path("HttpStatus").asInt()).as(body).isEqualTo(r.status());
        return n.path("Code").asText();
    }

    private static String xml(ApiResponse r, String body) {
        Element root;
        try {
            root = XML.get().parse(new ByteArrayInputStream(r.body())).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new AssertionError("not well-formed XML: " + body, e);
        }
        assertThat(child(root, "RequestId")).as(body).isNotEmpty();
        if (r.status() == 200) {
            assertThat(root.getTagName()).as(body).endsWith("Response");
            return null;
        }
        assertThat(root.getTagName()).as(body).isEqualTo("Error");
        assertThat(child(root, "Code")).as(body).isNotEmpty();
        assertThat(child(root, "Message")).as(body).isNotNull();
        return child(root, "Code");
    }

    private static String child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent();
            }
        }
        return null;
    }

    private static DocumentBuilder xmlParser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // What a careful client does: no DTDs, no external entities.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e; // instead of the default handler's line on stderr
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            return fail("no XML parser", e);
        }
    }
}
