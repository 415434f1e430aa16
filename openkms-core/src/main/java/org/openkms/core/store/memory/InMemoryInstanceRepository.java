package org.openkms.core.store.memory;

import static org.openkms.core.store.memory.Tables.notNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openkms.core.instance.InstanceRecord;
import org.openkms.core.instance.InstanceRepository;

/** kms_instances (V6/V7__kms_instances.sql). Byte arrays are copied in and out, as a database would. */
final class InMemoryInstanceRepository implements InstanceRepository {
    private final InMemoryStorage storage;

    InMemoryInstanceRepository(InMemoryStorage storage) {
        this.storage = storage;
    }

    @Override
    public boolean create(InstanceRecord r) {
        return storage.write(t -> {
            notNull(
                    "instance.create",
                    "kms_instances.instance_id",
                    r.instanceId(),
                    "kms_instances.instance_name",
                    r.instanceName(),
                    "kms_instances.status",
                    r.status(),
                    "kms_instances.create_time",
                    r.createTime(),
                    "kms_instances.ca_certificate_pem",
                    r.caCertificatePem(),
                    "kms_instances.sealed_ca_key",
                    r.sealedCaKey(),
                    "kms_instances.certificate_pem",
                    r.certificatePem(),
                    "kms_instances.sealed_key",
                    r.sealedKey());
            if (t.instances.containsKey(r.instanceId())) {
                return false;
            }
            // No t.changed(): like server_meta, no node caches instances (no PostgreSQL trigger either).
            t.instances.put(r.instanceId(), copy(r));
            return true;
        });
    }

    @Override
    public Optional<InstanceRecord> find(String instanceId) {
        return storage.read(
                t -> Optional.ofNullable(t.instances.get(instanceId)).map(InMemoryInstanceRepository::copy));
    }

    @Override
    public List<InstanceRecord> list() {
        return storage.read(t -> {
            List<InstanceRecord> out = new ArrayList<>();
            t.instances.values().forEach(r -> out.add(copy(r)));
            return out;
        });
    }

    private static InstanceRecord copy(InstanceRecord r) {
        return new InstanceRecord(
                r.instanceId(),
                r.instanceName(),
                r.status(),
                Tables.millis(r.createTime()),
                r.caCertificatePem(),
                Tables.copy(r.sealedCaKey()),
                r.certificatePem(),
                Tables.copy(r.sealedKey()));
    }
}
