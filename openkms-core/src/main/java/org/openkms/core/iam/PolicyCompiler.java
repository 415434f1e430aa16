package org.openkms.core.iam;

/**
 * Turns a policy document (JSON text) into a {@link Policy}. The core has no JSON library, so the server
 * supplies the implementation; it throws {@link IllegalArgumentException} with a readable reason for a
 * document RAM would call MalformedPolicyDocument.
 */
@FunctionalInterface
public interface PolicyCompiler {
    Policy compile(String document);
}
