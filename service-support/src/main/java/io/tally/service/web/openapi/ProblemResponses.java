package io.tally.service.web.openapi;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.tally.service.web.HttpProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;

/**
 * Gives every operation a Problem Details response per status it can answer: the problems any
 * request can get ({@link #EVERY_OPERATION}; with a body also {@link #WITH_BODY}) and the types its
 * handler names ({@link ProblemTypes}), each with its status, description and headers from the
 * {@link ProblemCatalog}. An operation of a controller without an explicit {@code operationId} gets
 * {@code <controller><Method>} ({@code proposalApprove}): springdoc's own ids are method names,
 * suffixed by discovery order when two controllers share one, which is not stable.
 */
final class ProblemResponses implements OperationCustomizer {

  /** Whatever the operation: a bad path, query or header; an unacceptable Accept; a failure. */
  static final List<HttpProblem> EVERY_OPERATION =
      List.of(HttpProblem.MALFORMED, HttpProblem.NOT_ACCEPTABLE, HttpProblem.INTERNAL_ERROR);

  /** An operation that takes a body: a body too large or of a type it does not take. */
  static final List<HttpProblem> WITH_BODY =
      List.of(HttpProblem.TOO_LARGE, HttpProblem.UNSUPPORTED_MEDIA_TYPE);

  private final ProblemCatalog catalog;
  private final List<ImpliedProblems> implied;

  ProblemResponses(ProblemCatalog catalog, List<ImpliedProblems> implied) {
    this.catalog = catalog;
    this.implied = List.copyOf(implied);
  }

  @Override
  public Operation customize(Operation operation, HandlerMethod handler) {
    Set<String> codes = new LinkedHashSet<>();
    EVERY_OPERATION.forEach(p -> codes.add(p.code()));
    if (operation.getRequestBody() != null) {
      WITH_BODY.forEach(p -> codes.add(p.code()));
    }
    ProblemTypes onClass =
        AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), ProblemTypes.class);
    ProblemTypes onMethod = handler.getMethodAnnotation(ProblemTypes.class);
    for (ProblemTypes named : new ProblemTypes[] {onClass, onMethod}) {
      if (named != null) {
        codes.addAll(List.of(named.value()));
      }
    }
    for (ImpliedProblems more : implied) {
      codes.addAll(more.codes(handler));
    }
    Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
    for (String code : codes) {
      ProblemType type = catalog.get(code);
      byStatus.computeIfAbsent(type.status(), s -> new ArrayList<>()).add(type);
    }
    ApiResponses responses =
        operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    byStatus.forEach(
        (status, types) ->
            responses.addApiResponse(String.valueOf(status), ProblemSchemas.response(types)));
    operation.setResponses(responses);
    if (AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), RestController.class)
        && !explicitOperationId(handler)) {
      operation.setOperationId(operationId(handler));
    }
    return operation;
  }

  private static boolean explicitOperationId(HandlerMethod handler) {
    io.swagger.v3.oas.annotations.Operation annotation =
        handler.getMethodAnnotation(io.swagger.v3.oas.annotations.Operation.class);
    return annotation != null && !annotation.operationId().isEmpty();
  }

  /** {@code ProposalController.approve} is {@code proposalApprove}. */
  static String operationId(HandlerMethod handler) {
    String controller = handler.getBeanType().getSimpleName().replaceFirst("Controller$", "");
    String method = handler.getMethod().getName();
    return controller.substring(0, 1).toLowerCase(Locale.ROOT)
        + controller.substring(1)
        + method.substring(0, 1).toUpperCase(Locale.ROOT)
        + method.substring(1);
  }
}
