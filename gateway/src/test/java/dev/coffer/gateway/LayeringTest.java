package dev.coffer.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The module layering of DESIGN.md, enforced over every Coffer class on gateway's classpath (gateway's
 * own, and the crypto, auth, kms, s3-frontend and blockstore jars). Modules without classes yet pass
 * through {@code allowEmptyShould}; the rules start biting as soon as code arrives.
 *
 * <p>DoNotIncludeTests keeps test sources out, which also keeps out the deliberately bad fixture in
 * {@code dev.coffer.crypto.archfixture}; {@link #cryptoRuleRejectsANonJdkDependency} imports that
 * fixture on its own to prove the rules are not vacuous.
 */
// A package name, not a pattern: imports dev.coffer and every package below it (dev.coffer..).
@AnalyzeClasses(packages = "dev.coffer", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule cryptoDependsOnlyOnTheJdk = classes()
            .that().resideInAPackage("dev.coffer.crypto..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "dev.coffer.crypto..")
            .because("the crypto core is audited: it must stay JDK-only and small enough to review, "
                    + "with SunJCE as the data-path cipher")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule authDependsOnNoProtocolModuleNorTheGateway = noClasses()
            .that().resideInAPackage("dev.coffer.auth..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.coffer.kms..", "dev.coffer.s3..", "dev.coffer.blockstore..", "dev.coffer.gateway..")
            .because("auth is the shared AWS-protocol base (SigV4, identities, policies) that the protocol "
                    + "modules build on, so it cannot depend on any of them")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule protocolModulesDoNotDependOnEachOther = slices()
            .matching("dev.coffer.(kms|s3|blockstore)..")
            .should().notDependOnEachOther()
            .because("protocol modules meet only in the composition root, through ports they own")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule nothingDependsOnTheGateway = noClasses()
            .that().resideOutsideOfPackage("dev.coffer.gateway..")
            .should().dependOnClassesThat().resideInAPackage("dev.coffer.gateway..")
            .because("the gateway is the composition root: it wires the modules together, "
                    + "and a module reaching back into it would make the wiring circular")
            .allowEmptyShould(true);

    /** allowEmptyShould would let every rule pass on an import that found nothing; this would not. */
    @ArchTest
    static void importsCofferProductionClassesButNoTestFixtures(JavaClasses classes) {
        assertThat(classes.contain(CofferMain.class)).isTrue();
        assertThat(classes).noneMatch(javaClass -> javaClass.getPackageName().startsWith("dev.coffer.crypto.archfixture"));
    }

    @Test
    void cryptoRuleRejectsANonJdkDependency() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.coffer.crypto.archfixture");

        EvaluationResult result = cryptoDependsOnlyOnTheJdk.evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .isNotEmpty()
                .allSatisfy(violation -> assertThat(violation)
                        .contains("LoggingCipherFixture")
                        .contains("org.slf4j"));
    }
}
