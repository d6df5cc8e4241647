package io.tally.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static final JavaClasses PROTOCOL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tally.protocol");

  @Test
  void protocolDependsOnNoFrameworkKafkaJacksonOrPersistence() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "com.fasterxml.jackson..",
            "tools.jackson..",
            "jakarta.persistence..",
            "javax.persistence..")
        .because("protocol is shared by every service, the CLI and offline verifiers")
        .check(PROTOCOL);
  }

  @Test
  void protocolReadsNoClockAndNoRandomnessExceptForKeyGeneration() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.tally.protocol.keys.SigningKey")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.security.SecureRandom")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.time.Clock")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .because("the same input must give the same bytes on every machine")
        .check(PROTOCOL);
  }

  @Test
  void classesExistToCheck() {
    // Guards the rules above against silently checking an empty import.
    org.assertj.core.api.Assertions.assertThat(PROTOCOL.size()).isGreaterThan(20);
  }
}
