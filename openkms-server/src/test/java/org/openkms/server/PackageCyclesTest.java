package org.openkms.server;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's packages depend on each other one way: http → gateway → auth → api; actions → gateway and iam;
 * config → http. A cycle would mean that a transport detail and the pipeline could no longer change apart.
 */
class PackageCyclesTest {
    @Test
    void serverPackagesHaveNoCycles() {
        JavaClasses server = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.openkms.server");
        slices().matching("org.openkms.server.(*)..").should().beFreeOfCycles().check(server);
    }
}
