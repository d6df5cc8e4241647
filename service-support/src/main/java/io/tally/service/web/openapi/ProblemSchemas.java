package io.tally.service.web.openapi;

import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/** The Problem Details schema and the responses that carry problems, as the document shows them. */
final class ProblemSchemas {

  static final String PROBLEM = "Problem";
  static final String PROBLEM_JSON = "application/problem+json";
  static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

  /** What the document's description says about errors. */
  static final String ERRORS =
      "Errors are RFC 9457 Problem Details (`application/problem+json`, schema `Problem`) whose"
          + " `type` is a stable `urn:tally:problem:<code>` naming the rule; `title` is the code in"
          + " upper case and `detail` a sentence that never quotes the request. Each operation"
          + " lists, per status, the types it can answer. Any path also answers 404 `not-found`"
          + " when no resource is there, 405 `method-not-allowed` for a method the resource does"
          + " not take (see `components.responses`), and `x-problem-types` in `components` lists"
          + " every type this service can answer.";

  private ProblemSchemas() {}

  /** A schema of JSON type {@code type}, written as OpenAPI 3.1 wants it. */
  static Schema<Object> of(String type) {
    Schema<Object> schema = new Schema<>();
    schema.setType(type);
    schema.setTypes(Set.of(type));
    return schema;
  }

  /** RFC 9457 Problem Details as every Tally service writes them. */
  static Schema<Object> problem() {
    Schema<Object> problem = of("object");
    problem.setDescription(
        "RFC 9457 Problem Details. `type` names the rule (`urn:tally:problem:<code>`), `title` is"
            + " the code in upper case, `status` the HTTP status, `detail` a sentence the service"
            + " wrote; clients match on `type`.");
    problem.addProperty(
        "type", of("string").format("uri").description("urn:tally:problem:<code>, stable"));
    problem.addProperty("title", of("string").description("the code in upper case"));
    problem.addProperty("status", of("integer").format("int32").description("the HTTP status"));
    problem.addProperty(
        "detail", of("string").description("what went wrong, never quoting the request"));
    problem.addProperty("instance", of("string").format("uri-reference"));
    problem.setRequired(List.of("type", "title", "status"));
    return problem;
  }

  /** The response of one status carrying {@code types} (all of that status). */
  static ApiResponse response(List<ProblemType> types) {
    StringBuilder description = new StringBuilder();
    Map<String, Example> examples = new LinkedHashMap<>();
    Map<String, Header> headers = new LinkedHashMap<>();
    for (ProblemType type : types) {
      description
          .append(description.length() == 0 ? "" : "\n")
          .append("- `")
          .append(type.code())
          .append("`: ")
          .append(type.description());
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("type", type.type());
      value.put("title", type.title());
      value.put("status", type.status());
      value.put("detail", type.description());
      examples.put(type.code(), new Example().summary(type.type()).value(value));
      for (String header : type.headers()) {
        headers.put(header, header(header));
      }
    }
    Schema<Object> schema = new Schema<>();
    schema.set$ref(PROBLEM_REF);
    MediaType media = new MediaType().schema(schema).examples(examples);
    ApiResponse response =
        new ApiResponse()
            .description(description.toString())
            .content(new Content().addMediaType(PROBLEM_JSON, media));
    if (!headers.isEmpty()) {
      response.setHeaders(headers);
    }
    return response;
  }

  private static Header header(String name) {
    if (name.equalsIgnoreCase(HttpHeaders.RETRY_AFTER)) {
      return new Header()
          .description("seconds to wait before asking again")
          .schema(of("integer").format("int32").minimum(java.math.BigDecimal.ONE));
    }
    if (name.equalsIgnoreCase(HttpHeaders.WWW_AUTHENTICATE)) {
      return new Header().description("the challenge: `Bearer`").schema(of("string"));
    }
    return new Header().schema(of("string"));
  }

  /** The catalogue as the document's index of problem types. */
  static List<Map<String, Object>> catalog(ProblemCatalog catalog) {
    List<Map<String, Object>> index = new ArrayList<>();
    for (ProblemType type : catalog.types()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", type.type());
      entry.put("status", type.status());
      entry.put("description", type.description());
      if (!type.headers().isEmpty()) {
        entry.put("headers", type.headers());
      }
      index.add(entry);
    }
    return index;
  }
}
