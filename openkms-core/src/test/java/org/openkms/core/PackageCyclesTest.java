package org.openkms.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * The core is cut by aggregate (key, secret, tag, iam, accesspoint), each package holding its records, services and
 * storage interface. Dependencies between the packages run one way (secret → key → tag; service and store above
 * them all), so that an aggregate can be read, tested and changed without the others.
 */
class PackageCyclesTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.openkms.core");

    @Test
    void corePackagesHaveNoCycles() {
        slices().matching("org.openkms.core.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void aggregatesDoNotReachTheStorageFacadeOrTheWiring() {
        ArchRuleDefinition.noClasses()
                .that()
                .resideInAnyPackage(
                        "org.openkms.core.key..",
                        "org.openkms.core.secret..",
                        "org.openkms.core.tag..",
                        "org.openkms.core.iam..",
                        "org.openkms.core.accesspoint..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.openkms.core.store..", "org.openkms.core.service..")
                .check(CORE);
    }
}
