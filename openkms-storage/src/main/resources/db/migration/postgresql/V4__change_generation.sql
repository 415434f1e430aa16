-- A counter that every committed write to a cached table increases, so that several server nodes sharing this
-- database can notice each other's writes by polling one row and drop their in-memory caches
-- (CacheCoherence in openkms-server). Statement-level triggers: one increment per statement, in the writer's
-- transaction, so the counter never runs ahead of what other nodes can read.
CREATE TABLE change_generation (
    id    INTEGER PRIMARY KEY,
    value BIGINT  NOT NULL
);
INSERT INTO change_generation (id, value) VALUES (1, 0);

CREATE FUNCTION openkms_bump_change_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_generation SET value = value + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER keys_changed AFTER INSERT OR UPDATE OR DELETE ON keys FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER key_versions_changed AFTER INSERT OR UPDATE OR DELETE ON key_versions FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER aliases_changed AFTER INSERT OR UPDATE OR DELETE ON aliases FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER tags_changed AFTER INSERT OR UPDATE OR DELETE ON tags FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER access_keys_changed AFTER INSERT OR UPDATE OR DELETE ON access_keys FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER secrets_changed AFTER INSERT OR UPDATE OR DELETE ON secrets FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER secret_versions_changed AFTER INSERT OR UPDATE OR DELETE ON secret_versions FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER iam_users_changed AFTER INSERT OR UPDATE OR DELETE ON iam_users FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER iam_roles_changed AFTER INSERT OR UPDATE OR DELETE ON iam_roles FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER iam_policies_changed AFTER INSERT OR UPDATE OR DELETE ON iam_policies FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER iam_attachments_changed AFTER INSERT OR UPDATE OR DELETE ON iam_attachments FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER resource_policies_changed AFTER INSERT OR UPDATE OR DELETE ON resource_policies FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
CREATE TRIGGER aap_objects_changed AFTER INSERT OR UPDATE OR DELETE ON aap_objects FOR EACH STATEMENT EXECUTE FUNCTION openkms_bump_change_generation();
