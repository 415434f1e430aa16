package org.openkms.server.gateway;

/**
 * One OpenAPI product served on this endpoint, selected by the request's API version: its actions, the
 * namespace its actions have in policies ({@code kms:Encrypt}, {@code ram:CreateUser}), how it finds the
 * resources a call touches, and the code it answers a denial with (KMS says Forbidden.NoPermission, RAM and
 * STS NoPermission).
 */
public record ApiProduct(
        String version,
        String product,
        String namespace,
        ActionRegistry actions,
        ResourceResolver resources,
        String denialCode) {}
