package io.tally.identity;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Layers inside identity-service: the desk's rules and use cases know nothing of Spring, Kafka or
 * SQL.
 */
class ArchitectureTest {

  private static final JavaClasses IDENTITY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tally.identity");

  @Test
  void domainAndApplicationDependOnNoFrameworkBrokerOrDatabase() {
    noClasses()
        .that()
        .resideInAnyPackage("..domain..", "..application..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "jakarta.persistence..",
            "org.hibernate..",
            "java.sql..",
            "tools.jackson..")
        .check(IDENTITY);
  }

  @Test
  void domainDoesNotDependOnTheUseCasesOrAdaptors() {
    noClasses()
        .that()
        .resideInAPackage("..domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..application..", "..infrastructure..", "..web..")
        .check(IDENTITY);
  }

  @Test
  void entitiesAreNeverReturnedNorPartOfAResponse() {
    noMethods()
        .that()
        .areDeclaredInClassesThat()
        .resideInAPackage("..web..")
        .should()
        .haveRawReturnType(resideInAPackage("..persistence.."))
        .because("JPA entities are mapped to response records, never returned")
        .check(IDENTITY);
    noFields()
        .that()
        .areDeclaredInClassesThat()
        .areRecords()
        .should()
        .haveRawType(resideInAPackage("..persistence.."))
        .check(IDENTITY);
  }
}
