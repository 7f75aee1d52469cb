package dev.imagegov.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.model.StoreId;
import java.util.List;
import java.util.Map;

/** The one place reports are rendered: JSON trees written pretty, Markdown tables, cells. */
final class Render {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Render() {}

  /** A new JSON object to fill. */
  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** The tree as pretty-printed JSON. */
  static String json(ObjectNode doc) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new AssertionError("a tree of strings and numbers always serialises", e);
    }
  }

  /** Bytes per store as a JSON object, in the map's order. */
  static ObjectNode bytes(Map<StoreId, Long> byStore) {
    ObjectNode node = object();
    byStore.forEach((s, n) -> node.put(s.value(), n));
    return node;
  }

  /** Bytes per store as Markdown text ({@code fast: 10, slow: 10}; an em dash when none). */
  static String bytesText(Map<StoreId, Long> byStore) {
    if (byStore.isEmpty()) {
      return "—";
    }
    StringBuilder out = new StringBuilder();
    byStore.forEach((s, n) -> out.append(out.length() == 0 ? "" : ", ")
        .append(s.value()).append(": ").append(n));
    return out.toString();
  }

  /** A Markdown table: the header, then one row per entry; every cell escaped. */
  static void table(StringBuilder out, List<String> header, List<List<String>> rows) {
    row(out, header);
    out.append('|');
    for (int i = 0; i < header.size(); i++) {
      out.append("---|");
    }
    out.append('\n');
    for (List<String> r : rows) {
      row(out, r);
    }
  }

  private static void row(StringBuilder out, List<String> cells) {
    out.append('|');
    for (String c : cells) {
      out.append(' ').append(cell(c)).append(" |");
    }
    out.append('\n');
  }

  /** Text safe in a Markdown table cell: pipes escaped, line breaks as spaces. */
  static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
  }
}
