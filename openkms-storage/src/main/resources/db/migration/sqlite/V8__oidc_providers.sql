-- RAM OIDC identity providers (CreateOIDCProvider), whose tokens STS AssumeRoleWithOIDC accepts. Keep in step with
-- ../postgresql/V9__oidc_providers.sql. Fingerprints and client IDs are comma-separated lists, as the RAM API carries
-- them (neither may contain a comma). Read per call, never cached by the server: no change_generation trigger.
CREATE TABLE oidc_providers (
    provider_name       TEXT NOT NULL PRIMARY KEY,
    issuer_url          TEXT NOT NULL,
    fingerprints        TEXT NOT NULL,
    client_ids          TEXT NOT NULL,
    issuance_limit_time INTEGER NOT NULL,
    description         TEXT NOT NULL,
    create_date         INTEGER NOT NULL,
    update_date         INTEGER NOT NULL
) STRICT;
