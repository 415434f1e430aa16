-- Identity and access control (postgresql dialect). Keep in step with the other dialect's V3__iam.sql.
-- AccessKeys of RAM users stay in access_keys (principal_name = user name); their secrets are sealed there.

CREATE TABLE iam_users (
    user_name     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    comments      TEXT NOT NULL,
    create_date   BIGINT NOT NULL,
    update_date   BIGINT NOT NULL
);

CREATE TABLE iam_roles (
    role_name            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    role_id              TEXT NOT NULL,
    description          TEXT NOT NULL,
    trust_policy         TEXT NOT NULL,
    max_session_duration BIGINT NOT NULL,
    create_date          BIGINT NOT NULL,
    update_date          BIGINT NOT NULL
);

CREATE TABLE iam_policies (
    policy_name  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    policy_type  TEXT NOT NULL,
    description  TEXT NOT NULL,
    document     TEXT NOT NULL,
    create_date  BIGINT NOT NULL,
    update_date  BIGINT NOT NULL
);

CREATE TABLE iam_attachments (
    principal_type TEXT COLLATE "C" NOT NULL,
    principal_name TEXT COLLATE "C" NOT NULL,
    policy_type    TEXT COLLATE "C" NOT NULL,
    policy_name    TEXT COLLATE "C" NOT NULL,
    attach_date    BIGINT NOT NULL,
    PRIMARY KEY (principal_type, principal_name, policy_type, policy_name)
);

-- Key and secret policies, by resource ARN.
CREATE TABLE resource_policies (
    resource_arn TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    document     TEXT NOT NULL
);

-- Application access points, their permission policies, network rules and client keys (kind = NetworkRule,
-- Policy, ApplicationAccessPoint, ClientKey). Documents are JSON written by the server; a client key's private
-- key is never stored (only its certificate).
CREATE TABLE aap_objects (
    kind     TEXT COLLATE "C" NOT NULL,
    name     TEXT COLLATE "C" NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);
