package io.tally.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL server for tests, on 127.0.0.1: the server named by the environment variable
 * {@code TALLY_TEST_POSTGRES_URL} (a JDBC URL with {@code user} and {@code password} parameters for
 * a role that may create databases) when it is set, otherwise an embedded PostgreSQL started from
 * the zonky binaries in a temporary directory. {@link #createDatabase(String)} gives each test its
 * own database, so tests never see each other's tables.
 */
public final class LocalPostgres implements AutoCloseable {

  /** The environment variable that points tests at an existing server. */
  public static final String URL_VARIABLE = "TALLY_TEST_POSTGRES_URL";

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final @Nullable EmbeddedPostgres embedded;
  private final String adminUrl;

  private LocalPostgres(@Nullable EmbeddedPostgres embedded, String adminUrl) {
    this.embedded = embedded;
    this.adminUrl = adminUrl;
  }

  /** Connects to the configured server, or starts an embedded one. */
  public static LocalPostgres start() {
    String configured = System.getenv(URL_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return attach(configured);
    }
    try {
      EmbeddedPostgres embedded =
          EmbeddedPostgres.builder()
              .setServerConfig("listen_addresses", "127.0.0.1")
              // The embedded default is off; commits here are as durable as on a real server.
              .setServerConfig("synchronous_commit", "on")
              .start();
      return new LocalPostgres(
          embedded, embedded.getJdbcUrl("postgres", "postgres") + "&password=postgres");
    } catch (IOException e) {
      throw new UncheckedIOException("starting embedded PostgreSQL failed", e);
    }
  }

  /**
   * Uses the running server at {@code adminUrl} (a JDBC URL with credentials as parameters, for a
   * role that may create databases); {@link #close()} leaves it running.
   */
  public static LocalPostgres attach(String adminUrl) {
    return new LocalPostgres(null, adminUrl);
  }

  /**
   * Creates a fresh database whose name starts with {@code prefix} and returns its JDBC URL
   * (credentials included as parameters).
   */
  public String createDatabase(String prefix) {
    String name =
        (prefix + "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    try (Connection connection = DriverManager.getConnection(adminUrl);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("creating database " + name + " failed", e);
    }
    return withDatabase(adminUrl, name);
  }

  /** The JDBC URL of the server's administrative database. */
  public String adminUrl() {
    return adminUrl;
  }

  static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String parameters = query < 0 ? "" : url.substring(query);
    int slash = base.lastIndexOf('/');
    return base.substring(0, slash + 1) + database + parameters;
  }

  /** Stops the embedded server (a configured server is left running). */
  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException("stopping embedded PostgreSQL failed", e);
      }
    }
  }
}
