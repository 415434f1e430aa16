package org.openkms.server.config;

import java.util.List;

/**
 * A further KMS instance served by this server (docs/dedicated-gateway.md, "More than one instance"): its label,
 * stored as the instance's name so that a restart binds the same instance (id, CA, keys and secrets) to it, the
 * TLS listener of its gateway, and further certificate names of that gateway.
 *
 * @param name   the label: letters, digits, '-' and '_', up to 64 characters, not starting with "kst-"
 * @param listen host:port of the instance's own gateway
 * @param names  further DNS names and IP addresses its certificate answers to (beyond loopback and
 *               {@code <instanceId>.cryptoservice.kms.aliyuncs.com})
 */
public record InstanceListener(String name, String listen, List<String> names) {
    public InstanceListener {
        names = List.copyOf(names);
    }

    /** How the command line writes it, for error messages: {@code --instance NAME=HOST:PORT}. */
    public String option() {
        return "--instance " + name + "=" + listen;
    }
}
