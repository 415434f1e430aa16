package org.openkms.core.iam;

public enum Effect {
    ALLOW,
    DENY
}
