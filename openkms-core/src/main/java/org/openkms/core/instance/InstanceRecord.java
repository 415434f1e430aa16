package org.openkms.core.instance;

import java.time.Instant;

/**
 * A KMS instance this server is: its id, its own CA (certificate and private key sealed under the root key) and
 * the TLS server certificate of its gateway (signed by that CA; private key sealed likewise).
 */
public record InstanceRecord(
        String instanceId,
        String instanceName,
        String status,
        Instant createTime,
        String caCertificatePem,
        byte[] sealedCaKey,
        String certificatePem,
        byte[] sealedKey) {}
