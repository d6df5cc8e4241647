package io.tally.service.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link ProblemWeb}'s request syntax check and Tomcat error report for Actuator's own port ({@code
 * MANAGEMENT_SERVER_PORT}, as containers run): that port is a server and a context of its own,
 * which the application's filters and customizers do not reach, so without this a hostile request
 * there got Tomcat's HTML error page or Boot's error JSON instead of Problem Details.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
public class ManagementProblemWeb {

  @Bean
  FilterRegistrationBean<RequestSyntaxFilter> managementRequestSyntaxFilter() {
    return ProblemWeb.syntaxFilter();
  }

  @Bean
  WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> managementProblemReports() {
    return ProblemWeb.reportsCustomizer();
  }
}
