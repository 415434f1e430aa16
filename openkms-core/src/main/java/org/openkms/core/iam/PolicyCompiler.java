package org.openkms.core.iam;

/**
 * Turns a policy document (JSON text) into a {@link Policy}; {@link PolicyDocuments} is the implementation.
 * An interface so that {@link IamService} can be tested with policies built by hand. Throws
 * {@link IllegalArgumentException} with a readable reason for a document RAM would call MalformedPolicyDocument.
 */
@FunctionalInterface
public interface PolicyCompiler {
    Policy compile(String document);
}
