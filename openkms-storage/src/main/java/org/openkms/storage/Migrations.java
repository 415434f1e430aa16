package org.openkms.storage;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.openkms.core.error.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with Flyway before any repository runs. Each dialect has its own location
 * because the DDL differs (types, collation), and the migrations are read with this module's class loader
 * so they are found however the server is packaged.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    static void migrate(DataSource dataSource, Dialect dialect) {
        try {
            MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:" + dialect.migrationLocation())
                    // A missing folder means a packaging mistake, not "nothing to do".
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info(
                        "{} schema migrated to version {} ({} migrations)",
                        dialect,
                        result.targetSchemaVersion,
                        result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new StorageException("schema migration failed (" + dialect + ")", e);
        }
    }
}
