package org.openkms.jdbc;

/**
 * The PostgreSQL driver under the class name of Alibaba's secrets-manager JDBC client
 * (https://github.com/aliyun/aliyun-secretsmanager-jdbc), for pools configured with a {@code driverClass}. Besides
 * {@code secrets-manager:postgresql://…} URLs it accepts a bare secret name as the URL: that secret
 * holds {@code {"Endpoint","Port","DBName"}}. Loading the class registers it with {@code DriverManager}.
 */
public final class PostgreSQLSecretManagerSimpleDriver extends SecretsManagerDriver {
    static {
        register(new PostgreSQLSecretManagerSimpleDriver());
    }

    public PostgreSQLSecretManagerSimpleDriver() {
        super(DbType.POSTGRESQL);
    }
}
