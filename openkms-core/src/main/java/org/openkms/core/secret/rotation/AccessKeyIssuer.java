package org.openkms.core.secret.rotation;

import java.util.List;

/**
 * The RAM side of a RAMCredentials secret: this server's own RAM users and their AccessKeys. Rotation creates a
 * new AccessKey for the user and later deletes the old one; CreateSecret checks that a given pair authenticates.
 * The server implements it over its RAM store (users, CredentialStore).
 */
public interface AccessKeyIssuer {
    /** RAM's limit of AccessKeys per user. */
    int maxAccessKeysPerUser();

    boolean userExists(String userName);

    /** The user's AccessKey IDs, oldest first. */
    List<String> accessKeyIds(String userName);

    /** Whether {@code accessKeyId} is an active AccessKey of the user whose secret is {@code accessKeySecret}. */
    boolean authenticates(String userName, String accessKeyId, String accessKeySecret);

    boolean exists(String accessKeyId);

    /** A new random pair {id, secret}, not yet stored. */
    String[] newPair();

    /**
     * Stores the pair as an active AccessKey of the user.
     *
     * @throws RotationException when the user has reached the limit or no longer exists (no secret in the reason)
     */
    void create(String userName, String accessKeyId, String accessKeySecret) throws RotationException;

    /** Deletes an AccessKey: requests signed with it are then refused (InvalidAccessKeyId.NotFound). */
    boolean delete(String accessKeyId);
}
