package org.openkms.core.instance;

import java.util.List;
import java.util.Optional;

/** kms_instances: one row per KMS instance; sealed private keys only. */
public interface InstanceRepository {
    /** Inserts a new instance; false when one with the same id exists (nothing is changed). */
    boolean create(InstanceRecord instance);

    Optional<InstanceRecord> find(String instanceId);

    /** Every instance, ordered by id. */
    List<InstanceRecord> list();
}
