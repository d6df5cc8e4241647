package io.tally.service.web.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.tally.service.web.HttpProblem;
import io.tally.service.web.ProblemErrorController;
import java.util.List;
import org.springdoc.api.AbstractOpenApiResource;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a service imports ({@code @Import(ServiceOpenApi.class)}) for its OpenAPI 3.1 document: the
 * base document (title, description and servers from its {@link ServiceApi}, the project's version,
 * the {@code Problem} schema, a response per problem every service answers, its security schemes)
 * and the customizer that gives every operation its Problem Details responses from its {@link
 * ProblemCatalog}. The service declares a {@link ServiceApi} and a {@link ProblemCatalog} bean.
 * Settings in the service's {@code <service>.yml} under {@code springdoc.*} make the document
 * OpenAPI 3.1 with sorted keys and turn off what springdoc would guess (generic responses from the
 * advices, {@code *}{@code /*} answers).
 */
@Configuration(proxyBeanMethods = false)
public class ServiceOpenApi {

  static {
    // The error page answers every method on /error: it is how errors are written, not an API.
    AbstractOpenApiResource.addHiddenRestControllers(ProblemErrorController.class);
  }

  /** The version when the build wrote no build information (a run from an IDE's classes). */
  static final String VERSION_UNKNOWN = "unknown";

  @Bean
  OpenAPI tallyOpenApi(ServiceApi api, ObjectProvider<BuildProperties> build) {
    BuildProperties properties = build.getIfAvailable();
    String version =
        properties == null || properties.getVersion() == null
            ? VERSION_UNKNOWN
            : properties.getVersion();
    Components components =
        new Components().addSchemas(ProblemSchemas.PROBLEM, ProblemSchemas.problem());
    for (HttpProblem problem : HttpProblem.values()) {
      ApiResponse response =
          ProblemSchemas.response(List.of(ProblemCatalog.common().get(problem.code())));
      components.addResponses(problem.code(), response);
    }
    api.securitySchemes().forEach(components::addSecuritySchemes);
    return new OpenAPI()
        .info(
            new Info()
                .title(api.title())
                .version(version)
                .description(api.description() + "\n\n" + ProblemSchemas.ERRORS))
        .servers(api.servers())
        .tags(api.tags())
        .components(components);
  }

  @Bean
  OperationCustomizer tallyProblemResponses(
      ProblemCatalog catalog, ObjectProvider<ImpliedProblems> implied) {
    return new ProblemResponses(catalog, implied.orderedStream().toList());
  }

  /** Every type of the catalogue is named in the document, at least in its components. */
  @Bean
  OpenApiCustomizer tallyProblemCatalog(ProblemCatalog catalog) {
    return openApi ->
        openApi.getComponents().addExtension("x-problem-types", ProblemSchemas.catalog(catalog));
  }
}
