package io.tally.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine stays pure: what every replica must compute identically depends on nothing else. */
class ArchitectureTest {

  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.tally.engine");

  /** Most lines in one source file of the engine (issue 17). */
  private static final int LINES_MAX = 650;

  /**
   * Calls that enumerate a {@link HashMap} or {@link HashSet}, except in {@code
   * EngineState.rememberedInAnyOrder}, whose one caller sorts what it gets before any output (the
   * snapshot defers that sort to its writer's thread).
   */
  private static final DescribedPredicate<JavaMethodCall> ITERATES_A_HASH_TABLE =
      new DescribedPredicate<>("enumerates a HashMap or HashSet") {
        @Override
        public boolean test(JavaMethodCall call) {
          String owner = call.getTargetOwner().getName();
          String method = call.getName();
          boolean iterates =
              (owner.equals(HashMap.class.getName())
                      && Set.of("keySet", "values", "entrySet", "forEach").contains(method))
                  || (owner.equals(HashSet.class.getName())
                      && Set.of("iterator", "stream", "forEach").contains(method));
          boolean sortedByItsCaller =
              call.getOriginOwner().isEquivalentTo(EngineState.class)
                  && call.getOrigin().getName().equals("rememberedInAnyOrder");
          return iterates && !sortedByItsCaller;
        }
      };

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
        .callMethodWhere(ITERATES_A_HASH_TABLE)
        .because("iteration order of hash tables differs between runs; enumerate sorted")
        .check(ENGINE);
  }

  /**
   * Issue 17: the engine is split by concern, and stays so. A class past this size does more than
   * one thing; split it rather than raise the number.
   */
  @Test
  void noEngineClassPassesSixHundredFiftyLines() throws IOException {
    Path sources = Path.of("src/main/java/io/tally/engine");
    List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.list(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        long lines = Files.readAllLines(file).size();
        if (lines > LINES_MAX) {
          tooLong.add(file.getFileName() + " has " + lines + " lines");
        }
      }
    }
    assertThat(Files.exists(sources.resolve("Engine.java"))).isTrue();
    assertThat(tooLong).as("engine classes over %d lines", LINES_MAX).isEmpty();
  }

  @Test
  void classesExistToCheck() {
    assertThat(ENGINE.size()).isGreaterThan(10);
  }
}
