package io.tally.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** What every test database server must do, embedded, configured or in a container. */
abstract class PostgresContract {

  abstract LocalPostgres postgres();

  /** Whether the server must answer on 127.0.0.1 (not so for a container). */
  abstract boolean loopbackOnly();

  @Test
  void eachDatabaseIsFreshAndTablesWork() throws Exception {
    String first = postgres().createDatabase("first");
    String second = postgres().createDatabase("second");

    try (Connection connection = DriverManager.getConnection(first);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id int primary key)");
      statement.execute("INSERT INTO t VALUES (1)");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
      if (loopbackOnly()) {
        try (ResultSet address = statement.executeQuery("SELECT host(inet_server_addr())")) {
          address.next();
          assertThat(address.getString(1)).isEqualTo("127.0.0.1");
        }
      }
    }
    try (Connection connection = DriverManager.getConnection(second);
        Statement statement = connection.createStatement();
        ResultSet tables =
            statement.executeQuery(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'")) {
      tables.next();
      assertThat(tables.getInt(1)).isZero();
    }
  }

  @Test
  void databaseNamesAreSubstitutedIntoTheUrl() {
    assertThat(LocalPostgres.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?user=a", "x"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/x?user=a");
    assertThat(LocalPostgres.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "x"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/x");
  }
}
