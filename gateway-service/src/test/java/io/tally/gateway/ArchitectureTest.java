package io.tally.gateway;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Layers inside the gateway: the use case knows nothing of Spring, Kafka or HTTP. */
class ArchitectureTest {

  private static final JavaClasses GATEWAY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tally.gateway");

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
        .check(GATEWAY);
  }

  @Test
  void domainDoesNotDependOnTheUseCasesOrAdaptors() {
    noClasses()
        .that()
        .resideInAPackage("..domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..application..", "..infrastructure..", "..web..")
        .check(GATEWAY);
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
        .check(GATEWAY);
    noFields()
        .that()
        .areDeclaredInClassesThat()
        .areRecords()
        .should()
        .haveRawType(resideInAPackage("..persistence.."))
        .check(GATEWAY);
  }
}
