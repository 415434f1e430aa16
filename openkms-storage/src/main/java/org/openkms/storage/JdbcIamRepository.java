package org.openkms.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.openkms.core.iam.Attachment;
import org.openkms.core.iam.IamRepository;
import org.openkms.core.iam.OidcProvider;
import org.openkms.core.iam.PolicyRecord;
import org.openkms.core.iam.RamRole;
import org.openkms.core.iam.RamUser;

/** RAM users, roles, custom policies, attachments and resource policies (V3__iam.sql); OIDC providers (V8/V9). */
final class JdbcIamRepository implements IamRepository {
    private final ConnectionProvider db;

    JdbcIamRepository(ConnectionProvider db) {
        this.db = db;
    }

    @Override
    public void createUser(RamUser u) {
        db.write(
                "iam.createUser",
                c -> Sql.update(
                        c,
                        "INSERT INTO iam_users (user_name, user_id, display_name, comments,"
                                + " create_date, update_date) VALUES (?, ?, ?, ?, ?, ?)",
                        u.userName(),
                        u.userId(),
                        u.displayName(),
                        u.comments(),
                        u.createDate(),
                        u.updateDate()));
    }

    @Override
    public List<RamUser> listUsers() {
        return db.read(
                "iam.listUsers",
                c -> Sql.query(c, "SELECT * FROM iam_users ORDER BY user_name", JdbcIamRepository::user));
    }

    @Override
    public boolean deleteUser(String userName) {
        return db.write("iam.deleteUser", c -> Sql.update(c, "DELETE FROM iam_users WHERE user_name = ?", userName))
                > 0;
    }

    @Override
    public void createRole(RamRole r) {
        db.write(
                "iam.createRole",
                c -> Sql.update(
                        c,
                        "INSERT INTO iam_roles (role_name, role_id, description, trust_policy,"
                                + " max_session_duration, create_date, update_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        r.roleName(),
                        r.roleId(),
                        r.description(),
                        r.assumeRolePolicyDocument(),
                        r.maxSessionDuration(),
                        r.createDate(),
                        r.updateDate()));
    }

    @Override
    public List<RamRole> listRoles() {
        return db.read(
                "iam.listRoles",
                c -> Sql.query(c, "SELECT * FROM iam_roles ORDER BY role_name", JdbcIamRepository::role));
    }

    @Override
    public boolean deleteRole(String roleName) {
        return db.write("iam.deleteRole", c -> Sql.update(c, "DELETE FROM iam_roles WHERE role_name = ?", roleName))
                > 0;
    }

    @Override
    public void createPolicy(PolicyRecord p) {
        db.write(
                "iam.createPolicy",
                c -> Sql.update(
                        c,
                        "INSERT INTO iam_policies (policy_name, policy_type, description,"
                                + " document, create_date, update_date) VALUES (?, ?, ?, ?, ?, ?)",
                        p.policyName(),
                        p.policyType(),
                        p.description(),
                        p.document(),
                        p.createDate(),
                        p.updateDate()));
    }

    @Override
    public List<PolicyRecord> listPolicies() {
        return db.read(
                "iam.listPolicies",
                c -> Sql.query(c, "SELECT * FROM iam_policies ORDER BY policy_name", JdbcIamRepository::policy));
    }

    @Override
    public boolean deletePolicy(String policyName) {
        return db.write(
                        "iam.deletePolicy",
                        c -> Sql.update(c, "DELETE FROM iam_policies WHERE policy_name = ?", policyName))
                > 0;
    }

    @Override
    public void attach(Attachment a) {
        db.write(
                "iam.attach",
                c -> Sql.update(
                        c,
                        "INSERT INTO iam_attachments (principal_type, principal_name, policy_type,"
                                + " policy_name, attach_date) VALUES (?, ?, ?, ?, ?)",
                        a.principalType(),
                        a.principalName(),
                        a.policyType(),
                        a.policyName(),
                        a.attachDate()));
    }

    @Override
    public boolean detach(String principalType, String principalName, String policyType, String policyName) {
        return db.write(
                        "iam.detach",
                        c -> Sql.update(
                                c,
                                "DELETE FROM iam_attachments WHERE principal_type = ? AND"
                                        + " principal_name = ? AND policy_type = ? AND policy_name = ?",
                                principalType,
                                principalName,
                                policyType,
                                policyName))
                > 0;
    }

    @Override
    public List<Attachment> listAttachments() {
        return db.read(
                "iam.listAttachments",
                c -> Sql.query(
                        c,
                        "SELECT * FROM iam_attachments ORDER BY attach_date,"
                                + " principal_type, principal_name, policy_type, policy_name",
                        JdbcIamRepository::attachment));
    }

    /** Delete-then-insert in one write transaction: portable across SQLite and PostgreSQL. */
    @Override
    public void putResourcePolicy(String resourceArn, String document) {
        db.write("iam.putResourcePolicy", c -> {
            Sql.update(c, "DELETE FROM resource_policies WHERE resource_arn = ?", resourceArn);
            return Sql.update(
                    c, "INSERT INTO resource_policies (resource_arn, document) VALUES (?, ?)", resourceArn, document);
        });
    }

    @Override
    public Optional<String> findResourcePolicy(String resourceArn) {
        return db.read(
                "iam.findResourcePolicy",
                c -> Sql.queryOne(
                        c,
                        "SELECT document FROM resource_policies WHERE resource_arn = ?",
                        r -> r.getString("document"),
                        resourceArn));
    }

    @Override
    public java.util.Map<String, String> listResourcePolicies() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        db.read(
                        "iam.listResourcePolicies",
                        c -> Sql.query(
                                c, "SELECT resource_arn, document FROM resource_policies ORDER BY resource_arn", r ->
                                        new String[] {r.getString("resource_arn"), r.getString("document")}))
                .forEach(row -> out.put(row[0], row[1]));
        return out;
    }

    @Override
    public void deleteResourcePolicy(String resourceArn) {
        db.write(
                "iam.deleteResourcePolicy",
                c -> Sql.update(c, "DELETE FROM resource_policies WHERE resource_arn = ?", resourceArn));
    }

    @Override
    public void createOidcProvider(OidcProvider p) {
        db.write(
                "iam.createOidcProvider",
                c -> Sql.update(
                        c,
                        "INSERT INTO oidc_providers (provider_name, issuer_url, fingerprints, client_ids,"
                                + " issuance_limit_time, description, create_date, update_date)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        p.name(),
                        p.issuerUrl(),
                        String.join(",", p.fingerprints()),
                        String.join(",", p.clientIds()),
                        p.issuanceLimitTime(),
                        p.description(),
                        p.createDate(),
                        p.updateDate()));
    }

    @Override
    public boolean updateOidcProvider(OidcProvider p) {
        return db.write(
                        "iam.updateOidcProvider",
                        c -> Sql.update(
                                c,
                                "UPDATE oidc_providers SET issuer_url = ?, fingerprints = ?, client_ids = ?,"
                                        + " issuance_limit_time = ?, description = ?, create_date = ?, update_date = ?"
                                        + " WHERE provider_name = ?",
                                p.issuerUrl(),
                                String.join(",", p.fingerprints()),
                                String.join(",", p.clientIds()),
                                p.issuanceLimitTime(),
                                p.description(),
                                p.createDate(),
                                p.updateDate(),
                                p.name()))
                > 0;
    }

    @Override
    public List<OidcProvider> listOidcProviders() {
        return db.read(
                "iam.listOidcProviders",
                c -> Sql.query(
                        c, "SELECT * FROM oidc_providers ORDER BY provider_name", JdbcIamRepository::oidcProvider));
    }

    @Override
    public boolean deleteOidcProvider(String name) {
        return db.write(
                        "iam.deleteOidcProvider",
                        c -> Sql.update(c, "DELETE FROM oidc_providers WHERE provider_name = ?", name))
                > 0;
    }

    private static OidcProvider oidcProvider(ResultSet r) throws SQLException {
        return new OidcProvider(
                r.getString("provider_name"),
                r.getString("issuer_url"),
                list(r.getString("fingerprints")),
                list(r.getString("client_ids")),
                r.getInt("issuance_limit_time"),
                r.getString("description"),
                Sql.instant(r, "create_date"),
                Sql.instant(r, "update_date"));
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated.isEmpty() ? List.of() : List.of(commaSeparated.split(","));
    }

    private static RamUser user(ResultSet r) throws SQLException {
        return new RamUser(
                r.getString("user_id"),
                r.getString("user_name"),
                r.getString("display_name"),
                r.getString("comments"),
                Sql.instant(r, "create_date"),
                Sql.instant(r, "update_date"));
    }

    private static RamRole role(ResultSet r) throws SQLException {
        return new RamRole(
                r.getString("role_id"),
                r.getString("role_name"),
                r.getString("description"),
                r.getString("trust_policy"),
                r.getLong("max_session_duration"),
                Sql.instant(r, "create_date"),
                Sql.instant(r, "update_date"));
    }

    private static PolicyRecord policy(ResultSet r) throws SQLException {
        return new PolicyRecord(
                r.getString("policy_name"),
                r.getString("policy_type"),
                r.getString("description"),
                r.getString("document"),
                Sql.instant(r, "create_date"),
                Sql.instant(r, "update_date"));
    }

    private static Attachment attachment(ResultSet r) throws SQLException {
        return new Attachment(
                r.getString("principal_type"),
                r.getString("principal_name"),
                r.getString("policy_type"),
                r.getString("policy_name"),
                Sql.instant(r, "attach_date"));
    }
}
