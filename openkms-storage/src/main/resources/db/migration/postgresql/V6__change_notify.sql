-- Every bump of change_generation (V4) is also announced with NOTIFY, so that nodes LISTENing on the channel
-- openkms_changes (PostgresChangeFeed in openkms-storage) drop their caches as soon as a write commits instead
-- of at their next poll. PostgreSQL only: an SQLite file has no other nodes, so ../sqlite has no V6.
--
-- Why this is safe to put in every writer's transaction:
-- * NOTIFY is transactional: the notification is delivered only after, and only if, the transaction commits, and
--   notifications arrive in commit order (https://www.postgresql.org/docs/current/sql-notify.html), so a node
--   that drops its caches on one reloads the committed rows.
-- * It adds no new serialisation: commits of transactions that NOTIFYed take turns on the notification queue,
--   but every writer already takes turns on the single change_generation row.
-- * The payload (well under the 8000-byte limit) is "<generation>:<schema>:<table>": the generation lets a node
--   skip its next poll, the schema lets nodes of different OpenKMS schemas in one database ignore each other
--   (channels are per database, not per schema), and the table says what changed (logs, tests). Payloads differ
--   per statement, so PostgreSQL's folding of identical notifications within a transaction never hides one.
CREATE OR REPLACE FUNCTION openkms_bump_change_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_value BIGINT;
BEGIN
    UPDATE change_generation SET value = value + 1 WHERE id = 1 RETURNING value INTO new_value;
    PERFORM pg_notify('openkms_changes', new_value || ':' || TG_TABLE_SCHEMA || ':' || TG_TABLE_NAME);
    RETURN NULL;
END
$$;
