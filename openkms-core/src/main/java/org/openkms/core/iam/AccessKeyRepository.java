package org.openkms.core.iam;

import java.util.List;
import java.util.Optional;

public interface AccessKeyRepository {
    void create(AccessKeyRecord accessKey);

    Optional<AccessKeyRecord> find(String accessKeyId);

    List<AccessKeyRecord> list();

    /** Sets Active/Inactive; false when the key does not exist. */
    boolean updateStatus(String accessKeyId, String status);

    boolean delete(String accessKeyId);
}
