package org.lossgrid.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of ARCHITECTURE.md, checked on the compiled classes: cli -> api -> (train, surface,
 * exact, output) -> backend -> (data, loss, model), with error and util beneath everything, and no
 * cycle between packages.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.lossgrid");
    }

    @Test
    void backendKnowsNothingOfSurfacesTrainingOutputsOrTheAdapters() {
        noClasses().that().resideInAPackage("org.lossgrid.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("org.lossgrid.surface..", "org.lossgrid.train..",
                        "org.lossgrid.exact..", "org.lossgrid.output..", "org.lossgrid.api..", "org.lossgrid.cli..")
                .check(classes);
    }

    @Test
    void onlyTheCliUsesPicocli() {
        noClasses().that().resideOutsideOfPackage("org.lossgrid.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(classes);
    }

    @Test
    void nothingBelowTheAdaptersDependsOnThem() {
        noClasses().that().resideOutsideOfPackage("org.lossgrid.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.lossgrid.cli..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("org.lossgrid.server..", "org.lossgrid.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.lossgrid.server..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("org.lossgrid.cli..", "org.lossgrid.server..", "org.lossgrid.report..")
                .should().dependOnClassesThat().resideInAPackage("org.lossgrid.report..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("org.lossgrid.cli..", "org.lossgrid.server..", "org.lossgrid.report..",
                        "org.lossgrid.api..")
                .should().dependOnClassesThat().resideInAPackage("org.lossgrid.api..")
                .check(classes);
    }

    @Test
    void onlyTheServerUsesJavalin() {
        noClasses().that().resideOutsideOfPackage("org.lossgrid.server..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..")
                .check(classes);
    }

    @Test
    void theFoundationsDependOnNoEngineLayer() {
        noClasses().that().resideInAnyPackage("org.lossgrid.data..", "org.lossgrid.loss..", "org.lossgrid.model..",
                        "org.lossgrid.error..", "org.lossgrid.util..")
                .should().dependOnClassesThat().resideInAnyPackage("org.lossgrid.backend..", "org.lossgrid.surface..",
                        "org.lossgrid.train..", "org.lossgrid.exact..", "org.lossgrid.output..", "org.lossgrid.api..",
                        "org.lossgrid.cli..", "org.lossgrid.server..", "org.lossgrid.report..")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.lossgrid.(*)..").should().beFreeOfCycles().check(classes);
    }
}
