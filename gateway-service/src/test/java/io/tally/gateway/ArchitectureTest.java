package io.tally.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
  void theUseCaseDependsOnNoFrameworkBrokerOrWeb() {
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
            "tools.jackson..",
            "jakarta.servlet..")
        .check(GATEWAY);
  }
}
