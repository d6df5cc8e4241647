package io.tally.ledger;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Layers inside the ledger: the use cases know nothing of Spring, Kafka or SQL. (The rules of
 * certification themselves live in the framework-free {@code follower} module.)
 */
class ArchitectureTest {

  private static final JavaClasses LEDGER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tally.ledger");

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
        .check(LEDGER);
  }

  @Test
  void useCasesDoNotDependOnTheAdaptors() {
    noClasses()
        .that()
        .resideInAPackage("..application..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..infrastructure..", "..web..")
        .check(LEDGER);
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
        .check(LEDGER);
    noFields()
        .that()
        .areDeclaredInClassesThat()
        .areRecords()
        .should()
        .haveRawType(resideInAPackage("..persistence.."))
        .check(LEDGER);
  }
}
