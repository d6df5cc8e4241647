package io.tally.gateway.accounts.web;

import io.tally.gateway.accounts.application.AccessControl;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The one place access tokens are checked: a controller method that takes an {@link
 * AccessControl.Caller} is called only with the caller its request's {@code Authorization: Bearer}
 * token speaks for (ADR 0010); otherwise the request is answered 401 {@code unauthenticated} by
 * {@link ReadProblemAdvice} before the method runs.
 */
@Configuration(proxyBeanMethods = false)
class CallerArguments implements WebMvcConfigurer {

  private final AccessControl access;

  CallerArguments(AccessControl access) {
    this.access = access;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(
        new HandlerMethodArgumentResolver() {
          @Override
          public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == AccessControl.Caller.class;
          }

          @Override
          public Object resolveArgument(
              MethodParameter parameter,
              @Nullable ModelAndViewContainer container,
              NativeWebRequest request,
              @Nullable WebDataBinderFactory binders)
              throws AccessControl.Unauthenticated {
            return access.authenticate(
                Optional.ofNullable(request.getHeader(HttpHeaders.AUTHORIZATION)));
          }
        });
  }
}
