package io.tally.validator.config;

import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ServiceApi;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The validator's OpenAPI document (served at {@code /v3/api-docs}, committed as {@code
 * docs/openapi/validator-service.json}). A validator has no API of its own: it reads and writes
 * Kafka topics. Its HTTP interface is Actuator's health and metrics, and the problems every service
 * answers alike.
 */
@Configuration(proxyBeanMethods = false)
class ValidatorOpenApi {

  @Bean
  ServiceApi validatorApi() {
    return new ServiceApi(
        "Tally validator-service",
        "One independently operated validator. It has no API of its own: it reads the log, cuts"
            + " blocks, executes them with the engine and publishes signed votes, all over Kafka"
            + " (validator-service/README.md). Over HTTP it answers Actuator's health (liveness"
            + " and readiness groups: validator, catchUp, broker, db) and Prometheus metrics, on"
            + " MANAGEMENT_SERVER_PORT when that is set.",
        List.of(
            ServiceApi.server(
                "http://127.0.0.1:8081", "validator-service at its default address and port")),
        List.of());
  }

  @Bean
  ProblemCatalog validatorProblems() {
    return ProblemCatalog.common();
  }

  /** Health answers 503 when a component is down (the probes read the status, not a problem). */
  @Bean
  OpenApiCustomizer validatorHealthDown() {
    return api ->
        Optional.ofNullable(api.getPaths())
            .map(paths -> paths.get("/actuator/health"))
            .map(PathItem::getGet)
            .ifPresent(
                health -> {
                  Schema<Object> body = new Schema<>();
                  body.setType("object");
                  body.setTypes(Set.of("object"));
                  health
                      .getResponses()
                      .addApiResponse(
                          "503",
                          new ApiResponse()
                              .description(
                                  "DOWN or OUT_OF_SERVICE: a component cannot do its job (the"
                                      + " body names it when details are shown)")
                              .content(
                                  new Content()
                                      .addMediaType(
                                          "application/json", new MediaType().schema(body))));
                });
  }
}
