package io.tally.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.HashMap;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** The engine stays pure: what every replica must compute identically depends on nothing else. */
class ArchitectureTest {

  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tally.engine");

  @Test
  void engineDependsOnNoFrameworkBrokerOrDatabase() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "com.fasterxml.jackson..",
            "tools.jackson..",
            "jakarta.persistence..",
            "java.sql..",
            "java.net..",
            "java.nio.file..")
        .check(ENGINE);
  }

  @Test
  void engineReadsNoClockNoRandomnessAndStartsNoThreads() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.time.Clock")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.time.Instant")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.security.SecureRandom")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.lang.Thread")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .check(ENGINE);
  }

  @Test
  void engineNeverIteratesAHashTable() {
    noClasses()
        .should()
        .callMethod(HashMap.class, "keySet")
        .orShould()
        .callMethod(HashMap.class, "values")
        .orShould()
        .callMethod(HashMap.class, "entrySet")
        .orShould()
        .callMethod(HashMap.class, "forEach", java.util.function.BiConsumer.class)
        .orShould()
        .callMethod(HashSet.class, "iterator")
        .orShould()
        .callMethod(HashSet.class, "stream")
        .because("iteration order of hash tables differs between runs; enumerate sorted")
        .check(ENGINE);
  }

  @Test
  void classesExistToCheck() {
    assertThat(ENGINE.size()).isGreaterThan(10);
  }
}
