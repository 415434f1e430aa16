-- KMS instances this server is (Instances in openkms-core). Keep in step with ../sqlite/V6__kms_instances.sql.
-- The instance CA's and the TLS server certificate's private keys are stored only sealed under the root key,
-- bound to the instance and their role by the associated data, like key material.
-- No change trigger (V4): like server_meta, a row is written once (first start) and no node caches it.
CREATE TABLE kms_instances (
    instance_id        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    instance_name      TEXT   NOT NULL,
    status             TEXT   NOT NULL,
    create_time        BIGINT NOT NULL,
    ca_certificate_pem TEXT   NOT NULL,
    sealed_ca_key      BYTEA  NOT NULL,
    certificate_pem    TEXT   NOT NULL,
    sealed_key         BYTEA  NOT NULL
);
