package org.openkms.jdbc;

/**
 * The MariaDB driver under the class name of Alibaba's secrets-manager JDBC client
 * (https://github.com/aliyun/aliyun-secretsmanager-jdbc), for pools configured with a {@code driverClass}. Besides
 * {@code secrets-manager:mariadb://…} URLs it accepts a bare secret name as the URL: that secret
 * holds {@code {"Endpoint","Port","DBName"}}. Loading the class registers it with {@code DriverManager}.
 */
public final class MariaDBSecretManagerSimpleDriver extends SecretsManagerDriver {
    static {
        register(new MariaDBSecretManagerSimpleDriver());
    }

    public MariaDBSecretManagerSimpleDriver() {
        super(DbType.MARIADB);
    }
}
