-- Secrets Manager, PostgreSQL dialect. Keep in step with ../sqlite/V2__secrets.sql.
-- Secret values never appear here in clear: envelope = value encrypted under a data key that is encrypted
-- with the secret's KMS key (EncryptionKeyId).

CREATE TABLE secrets (
    secret_name               TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    secret_type               TEXT    NOT NULL,
    description               TEXT,
    encryption_key_id         TEXT    NOT NULL,
    extended_config           TEXT,
    automatic_rotation        BOOLEAN NOT NULL,
    rotation_interval_seconds BIGINT  NOT NULL,
    last_rotation_date        BIGINT,
    creation_date             BIGINT  NOT NULL,
    update_date               BIGINT  NOT NULL,
    planned_delete_time       BIGINT,
    rotation_failure          TEXT,
    rotation_failure_date     BIGINT,
    creator                   TEXT,
    revision                  BIGINT  NOT NULL
);

CREATE INDEX secrets_by_creation ON secrets (creation_date, secret_name);

-- seq keeps insertion order (= version age) whatever the clocks say. stages: comma-separated labels
-- (labels are restricted to [A-Za-z0-9_.-], so a comma never occurs inside one).
CREATE TABLE secret_versions (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    secret_name   TEXT COLLATE "C" NOT NULL REFERENCES secrets (secret_name) ON DELETE CASCADE,
    version_id    TEXT COLLATE "C" NOT NULL,
    creation_date BIGINT NOT NULL,
    data_type     TEXT   NOT NULL,
    envelope      BYTEA  NOT NULL,
    stages        TEXT   NOT NULL,
    UNIQUE (secret_name, version_id)
);

CREATE INDEX secret_versions_by_secret ON secret_versions (secret_name, seq);
