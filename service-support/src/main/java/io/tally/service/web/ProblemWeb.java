package io.tally.service.web;

import org.apache.catalina.Container;
import org.apache.catalina.Host;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What a service imports ({@code @Import(ProblemWeb.class)}) so that every error it answers is
 * Problem Details with a stable type, from Tomcat's own refusals to its controllers: the advice for
 * Spring MVC's errors ({@link ProblemHandling}), the error page ({@link ProblemErrorController}),
 * the check of path and query before anything parses them ({@link RequestSyntaxFilter}) and
 * Tomcat's error report ({@link ProblemReportValve}).
 */
@Configuration(proxyBeanMethods = false)
public class ProblemWeb {

  @Bean
  ProblemHandling problemHandling() {
    return new ProblemHandling();
  }

  @Bean
  ProblemErrorController problemErrorController() {
    return new ProblemErrorController();
  }

  @Bean
  FilterRegistrationBean<RequestSyntaxFilter> requestSyntaxFilter() {
    return syntaxFilter();
  }

  /** The request syntax check, first of all filters, on every path. */
  static FilterRegistrationBean<RequestSyntaxFilter> syntaxFilter() {
    FilterRegistrationBean<RequestSyntaxFilter> registration =
        new FilterRegistrationBean<>(new RequestSyntaxFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /**
   * Makes {@link ProblemReportValve} the host's only error report. Tomcat adds its own when the
   * host starts (and Boot may add one too), so the others are replaced once the host started.
   */
  @Bean
  WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemReports() {
    return reportsCustomizer();
  }

  static WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> reportsCustomizer() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              Container parent = context.getParent();
              if (parent instanceof Host host) {
                host.addLifecycleListener(
                    event -> {
                      if (Lifecycle.AFTER_START_EVENT.equals(event.getType())) {
                        useProblemReports(host);
                      }
                    });
              }
            });
  }

  private static void useProblemReports(Host host) {
    for (Valve valve : host.getPipeline().getValves()) {
      if (valve instanceof ErrorReportValve) {
        host.getPipeline().removeValve(valve);
      }
    }
    host.getPipeline().addValve(new ProblemReportValve());
  }
}
