package io.tally.service.web.openapi;

import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one service says about its API in its OpenAPI document: title, description, the servers a
 * client reaches it at (fixed addresses, never the port a test run happened to bind), its tags and
 * its security schemes. The version is the project's ({@code META-INF/build-info/}).
 */
public record ServiceApi(
    String title,
    String description,
    List<Server> servers,
    List<Tag> tags,
    SortedMap<String, SecurityScheme> securitySchemes) {

  public ServiceApi {
    servers = List.copyOf(servers);
    tags = List.copyOf(tags);
    securitySchemes = new TreeMap<>(securitySchemes);
  }

  /** An API without security schemes. */
  public ServiceApi(String title, String description, List<Server> servers, List<Tag> tags) {
    this(title, description, servers, tags, new TreeMap<>());
  }

  /** This API with {@code schemes} added. */
  public ServiceApi withSecuritySchemes(Map<String, SecurityScheme> schemes) {
    SortedMap<String, SecurityScheme> all = new TreeMap<>(securitySchemes);
    all.putAll(schemes);
    return new ServiceApi(title, description, servers, tags, all);
  }

  /** A server at {@code url}. */
  public static Server server(String url, String description) {
    return new Server().url(url).description(description);
  }

  /** A tag. */
  public static Tag tag(String name, String description) {
    return new Tag().name(name).description(description);
  }
}
