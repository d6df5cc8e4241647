package io.tally.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.asm.AnnotationVisitor;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The check of a service's OpenAPI document: the one it serves ({@code /v3/api-docs}) must equal
 * its committed copy ({@code docs/openapi/<service>.json}, pretty-printed with sorted keys), and it
 * must name every Problem Details type the service's code can answer. With {@code
 * -Dopenapi.update=true} the check rewrites the copy instead of failing.
 */
public final class OpenApiDocuments {

  /** The system property that makes {@link #checkCommittedCopy} rewrite the copy. */
  public static final String UPDATE = "openapi.update";

  /** The prefix of every Tally problem type. */
  public static final String TYPE_PREFIX = "urn:tally:problem:";

  /** The classes that answer problems: advices, and the filters that refuse before them. */
  private static final String ADVICE =
      "Lorg/springframework/web/bind/annotation/RestControllerAdvice;";

  private static final Set<String> FILTERS =
      Set.of(
          "org/springframework/web/filter/OncePerRequestFilter",
          "org/springframework/web/filter/GenericFilterBean");
  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+|[A-Z]{4,}");
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private OpenApiDocuments() {}

  /**
   * Fetches {@code base}{@code /v3/api-docs} and compares it with {@code
   * docs/openapi/<service>.json} of the repository (found from the working directory up); fails
   * with the first difference and {@code updateCommand}, the command that rewrites the copy. With
   * {@code -Dopenapi.update=true} it writes the copy and passes. Returns the served document.
   */
  public static JsonNode checkCommittedCopy(URI base, String service, String updateCommand) {
    JsonNode served = sorted(fetch(base.resolve("/v3/api-docs")));
    Path copy = copyOf(service);
    if (Boolean.getBoolean(UPDATE)) {
      write(copy, served);
      return served;
    }
    if (!Files.exists(copy)) {
      throw new AssertionError(
          "no committed OpenAPI document for "
              + service
              + " at "
              + copy
              + "; write it with: "
              + updateCommand);
    }
    JsonNode committed;
    try {
      committed = JSON.readTree(Files.readString(copy, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String difference = firstDifference("", committed, served);
    if (difference != null) {
      throw new AssertionError(
          "The OpenAPI document "
              + service
              + " serves differs from the committed copy "
              + copy
              + " at "
              + difference
              + ". If the change is meant, rewrite the copy and commit it with the code: "
              + updateCommand);
    }
    return served;
  }

  /** The document served at {@code base}{@code /v3/api-docs}, members sorted. */
  public static JsonNode served(URI base) {
    return sorted(fetch(base.resolve("/v3/api-docs")));
  }

  /**
   * The problem types ({@code urn:tally:problem:...}) the document's responses name: in every
   * operation's and every shared ({@code components.responses}) {@code application/problem+json}
   * examples.
   */
  public static Set<String> answeredTypes(JsonNode document) {
    Set<String> types = new TreeSet<>();
    List<JsonNode> responses = new ArrayList<>();
    for (JsonNode path : document.path("paths")) {
      for (JsonNode operation : path) {
        operation.path("responses").forEach(responses::add);
      }
    }
    document.path("components").path("responses").forEach(responses::add);
    for (JsonNode response : responses) {
      for (JsonNode example :
          response.path("content").path("application/problem+json").path("examples")) {
        JsonNode type = example.path("value").path("type");
        if (type.isString()) {
          types.add(type.asString());
        }
      }
    }
    return types;
  }

  /**
   * The problem types written as constants in the classes under {@code packages} (dotted names)
   * that answer problems: every code-like string constant ({@code UNKNOWN_ACCOUNT}) of a {@code
   * RestControllerAdvice} or a servlet filter, as a type. Codes taken from an enum at run time
   * ({@code reason().name()}) are not constants; the service's catalogue lists those by enum.
   */
  public static Set<String> typesInCode(String... packages) {
    Set<String> types = new TreeSet<>();
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    for (String name : packages) {
      Resource[] classes;
      try {
        classes = resolver.getResources("classpath*:" + name.replace('.', '/') + "/**/*.class");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (Resource resource : classes) {
        if (String.valueOf(resource.getDescription()).contains("test-classes")) {
          continue; // tests quote types, they do not answer them
        }
        try (InputStream in = resource.getInputStream()) {
          types.addAll(constants(new ClassReader(in)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return types;
  }

  private static Set<String> constants(ClassReader reader) {
    Set<String> codes = new TreeSet<>();
    boolean[] answers = {FILTERS.contains(reader.getSuperName())};
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public @Nullable AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (descriptor.equals(ADVICE)) {
              answers[0] = true;
            }
            return null;
          }

          @Override
          public MethodVisitor visitMethod(
              int access,
              String name,
              String descriptor,
              @Nullable String signature,
              String @Nullable [] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitLdcInsn(Object value) {
                if (value instanceof String text && CODE.matcher(text).matches()) {
                  codes.add(TYPE_PREFIX + text.toLowerCase(Locale.ROOT).replace('_', '-'));
                }
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return answers[0] ? codes : Set.of();
  }

  private static JsonNode fetch(URI uri) {
    try {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            uri + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching " + uri, e);
    }
  }

  /** {@code docs/openapi/<service>.json} in the repository above the working directory. */
  static Path copyOf(String service) {
    Path dir = Path.of("").toAbsolutePath();
    for (Path at = dir; at != null; at = at.getParent()) {
      if (Files.isDirectory(at.resolve("docs")) && Files.exists(at.resolve("pom.xml"))) {
        return at.resolve("docs").resolve("openapi").resolve(service + ".json");
      }
    }
    throw new IllegalStateException("no repository with docs/ above " + dir);
  }

  private static void write(Path copy, JsonNode document) {
    try {
      Files.createDirectories(copy.getParent());
      Files.writeString(copy, JSON.writeValueAsString(document) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code node} with every object's members sorted by name (arrays keep their order). */
  static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> members = new TreeMap<>();
      for (Map.Entry<String, JsonNode> member : node.properties()) {
        members.put(member.getKey(), sorted(member.getValue()));
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      members.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> out.add(sorted(element)));
      return out;
    }
    return node;
  }

  /** The JSON pointer and both values where {@code expected} and {@code actual} first differ. */
  static @Nullable String firstDifference(String at, JsonNode expected, JsonNode actual) {
    if (expected.isObject() && actual.isObject()) {
      Set<String> names = new TreeSet<>(expected.propertyNames());
      names.addAll(actual.propertyNames());
      for (String name : names) {
        String pointer = at + "/" + name.replace("~", "~0").replace("/", "~1");
        if (!expected.has(name)) {
          return pointer + " (only in the served document)";
        }
        if (!actual.has(name)) {
          return pointer + " (only in the committed copy)";
        }
        String difference = firstDifference(pointer, expected.get(name), actual.get(name));
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    if (expected.isArray() && actual.isArray()) {
      for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
        if (i >= expected.size() || i >= actual.size()) {
          return at + "/" + i + " (arrays of " + expected.size() + " and " + actual.size() + ")";
        }
        String difference = firstDifference(at + "/" + i, expected.get(i), actual.get(i));
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    return expected.equals(actual)
        ? null
        : (at.isEmpty() ? "/" : at) + " (committed " + expected + ", served " + actual + ")";
  }
}
