-- KMS instances this server is (Instances in openkms-core). Keep in step with ../postgresql/V7__kms_instances.sql.
-- The instance CA's and the TLS server certificate's private keys are stored only sealed under the root key,
-- bound to the instance and their role by the associated data, like key material.
CREATE TABLE kms_instances (
    instance_id        TEXT    NOT NULL PRIMARY KEY,
    instance_name      TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    create_time        INTEGER NOT NULL,
    ca_certificate_pem TEXT    NOT NULL,
    sealed_ca_key      BLOB    NOT NULL,
    certificate_pem    TEXT    NOT NULL,
    sealed_key         BLOB    NOT NULL
) STRICT;
