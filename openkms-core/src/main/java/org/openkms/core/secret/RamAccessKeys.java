package org.openkms.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import org.openkms.core.iam.AccessKeyRecord;
import org.openkms.core.iam.CredentialStore;
import org.openkms.core.iam.IamService;
import org.openkms.core.iam.Principal;
import org.openkms.core.secret.rotation.AccessKeyIssuer;
import org.openkms.core.secret.rotation.RotationException;

/**
 * RAMCredentials secrets over this server's own RAM users and AccessKeys. The per-user limit is checked and enforced
 * under the CredentialStore's monitor, which RAM's CreateAccessKey holds too.
 */
public final class RamAccessKeys implements AccessKeyIssuer {
    private final IamService iam;
    private final CredentialStore credentials;

    public RamAccessKeys(IamService iam, CredentialStore credentials) {
        this.iam = iam;
        this.credentials = credentials;
    }

    @Override
    public int maxAccessKeysPerUser() {
        return IamService.MAX_ACCESS_KEYS_PER_USER;
    }

    @Override
    public boolean userExists(String userName) {
        return iam.userExists(userName);
    }

    @Override
    public List<String> accessKeyIds(String userName) {
        return credentials.listFor(userName).stream()
                .sorted(Comparator.comparing(AccessKeyRecord::creationDate))
                .map(AccessKeyRecord::accessKeyId)
                .toList();
    }

    @Override
    public boolean authenticates(String userName, String accessKeyId, String accessKeySecret) {
        return credentials
                .find(accessKeyId)
                .filter(c -> c.active()
                        && Principal.USER.equals(c.principal().type())
                        && c.principal().name().equals(userName)
                        && MessageDigest.isEqual(
                                c.secret().getBytes(StandardCharsets.UTF_8),
                                accessKeySecret.getBytes(StandardCharsets.UTF_8)))
                .isPresent();
    }

    @Override
    public boolean exists(String accessKeyId) {
        return credentials.find(accessKeyId).isPresent();
    }

    @Override
    public String[] newPair() {
        return new String[] {"LTAI" + CredentialStore.randomAlphanumeric(20), CredentialStore.randomAlphanumeric(30)};
    }

    @Override
    public void create(String userName, String accessKeyId, String accessKeySecret) throws RotationException {
        synchronized (credentials) {
            if (!iam.userExists(userName)) {
                throw new RotationException("RAM user " + userName + " does not exist");
            }
            if (credentials.listFor(userName).size() >= IamService.MAX_ACCESS_KEYS_PER_USER) {
                throw new RotationException(
                        "RAM user " + userName + " already has " + IamService.MAX_ACCESS_KEYS_PER_USER + " AccessKeys");
            }
            credentials.create(accessKeyId, accessKeySecret, userName);
        }
    }

    @Override
    public boolean delete(String accessKeyId) {
        return credentials.delete(accessKeyId);
    }
}
