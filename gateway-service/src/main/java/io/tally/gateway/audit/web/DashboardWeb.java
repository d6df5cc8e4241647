package io.tally.gateway.audit.web;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard: static files under {@code /dashboard/} (classpath {@code static/dashboard/}),
 * {@code /dashboard} redirected to its page, and headers that let the page run only its own
 * scripts: every view is rendered from the audit API in the browser (ADR 0017).
 */
@Configuration(proxyBeanMethods = false)
class DashboardWeb implements WebMvcConfigurer {

  /** Scripts, styles and requests from the gateway itself only; no frames, no inline code. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/dashboard", "/dashboard/");
    registry.addViewController("/dashboard/").setViewName("forward:/dashboard/index.html");
  }

  @Bean
  FilterRegistrationBean<Filter> dashboardHeaders() {
    Filter headers =
        (request, response, chain) -> {
          HttpServletResponse http = (HttpServletResponse) response;
          http.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
          http.setHeader("X-Content-Type-Options", "nosniff");
          http.setHeader("Referrer-Policy", "no-referrer");
          http.setHeader("Cache-Control", "no-cache");
          chain.doFilter(request, response);
        };
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(headers);
    registration.addUrlPatterns("/dashboard", "/dashboard/*", "/webjars/*");
    return registration;
  }
}
