-- The KMS instance that holds a key or a secret (CreateKey's and CreateSecret's DKMSInstanceId); NULL for a default
-- key or a secret of no instance, which are usable on the shared gateway only. Keep in step with
-- ../postgresql/V8__instance_scope.sql. No foreign key to kms_instances: instances are never deleted (ReleaseKmsInstance
-- is refused), and the column is written once, at creation, after the instance was checked.
ALTER TABLE keys ADD COLUMN dkms_instance_id TEXT;
ALTER TABLE secrets ADD COLUMN dkms_instance_id TEXT;
