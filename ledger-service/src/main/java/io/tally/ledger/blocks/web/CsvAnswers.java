package io.tally.ledger.blocks.web;

import io.tally.service.web.InvalidRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CSV form of every audit list (RFC 4180): a header line with the items' members in their JSON
 * order, one line per item, CRLF line ends, every field quoted; a nested value (a list of
 * movements, a map of codes) is its JSON text. Null is an empty field.
 */
@Component
class CsvAnswers {

  static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

  private final JsonMapper json = JsonMapper.builder().findAndAddModules().build();

  /** Whether {@code format} asks for CSV; 400 for anything but {@code json} and {@code csv}. */
  boolean wanted(String format) {
    return switch (format) {
      case "csv" -> true;
      case "json" -> false;
      default -> throw new InvalidRequest("format must be json or csv");
    };
  }

  ResponseEntity<String> answer(List<?> items) {
    List<JsonNode> rows = new ArrayList<>(items.size());
    Set<String> columns = new LinkedHashSet<>();
    for (Object item : items) {
      JsonNode row = json.valueToTree(item);
      row.propertyNames().forEach(columns::add);
      rows.add(row);
    }
    StringBuilder csv = new StringBuilder();
    line(csv, new ArrayList<>(columns));
    for (JsonNode row : rows) {
      List<String> fields = new ArrayList<>(columns.size());
      for (String column : columns) {
        JsonNode value = row.get(column);
        fields.add(
            value == null || value.isNull()
                ? ""
                : value.isValueNode() ? value.asString() : json.writeValueAsString(value));
      }
      line(csv, fields);
    }
    return ResponseEntity.ok().contentType(TEXT_CSV).body(csv.toString());
  }

  private static void line(StringBuilder csv, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        csv.append(',');
      }
      csv.append('"').append(fields.get(i).replace("\"", "\"\"")).append('"');
    }
    csv.append("\r\n");
  }
}
