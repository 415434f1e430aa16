package org.openkms.core.iam;

import java.util.List;
import java.util.Optional;

/**
 * RAM users, roles, custom policies, attachments, and the key/secret policies. Small tables: the core loads
 * them whole at start-up and keeps them in memory, so this port is only read then and written on change.
 * Creates fail with a StorageException on a duplicate name (the service checks first, under its lock).
 */
public interface IamRepository {
    void createUser(RamUser user);

    List<RamUser> listUsers();

    boolean deleteUser(String userName);

    void createRole(RamRole role);

    List<RamRole> listRoles();

    boolean deleteRole(String roleName);

    void createPolicy(PolicyRecord policy);

    List<PolicyRecord> listPolicies();

    boolean deletePolicy(String policyName);

    void attach(Attachment attachment);

    boolean detach(String principalType, String principalName, String policyType, String policyName);

    List<Attachment> listAttachments();

    /** Stores (or replaces) the policy of one key or secret, by the resource ARN. */
    void putResourcePolicy(String resourceArn, String document);

    Optional<String> findResourcePolicy(String resourceArn);

    /** Every key and secret policy, resource ARN → document (loaded once at start-up). */
    java.util.Map<String, String> listResourcePolicies();

    void deleteResourcePolicy(String resourceArn);

    /** Fails with a StorageException if a provider of that name exists. */
    void createOidcProvider(OidcProvider provider);

    /** Replaces the provider of that name; false if there is none. */
    boolean updateOidcProvider(OidcProvider provider);

    List<OidcProvider> listOidcProviders();

    boolean deleteOidcProvider(String name);
}
