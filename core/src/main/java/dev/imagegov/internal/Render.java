package dev.imagegov.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.model.StoreId;
import java.util.List;
import java.util.Map;

/**
 * The one place reports and plans are rendered (the hygiene and capacity reports, cleanup,
 * lifecycle and exposure plans): JSON trees written pretty, Markdown tables, cells. Not API.
 */
public final class Render {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Render() {}

  /**
   * A new JSON object to fill.
   *
   * @return an empty object node
   */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * The tree as pretty-printed JSON.
   *
   * @param doc the tree
   * @return its text
   */
  public static String json(ObjectNode doc) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new AssertionError("a tree of strings and numbers always serialises", e);
    }
  }

  /**
   * Bytes per store as a JSON object, in the map's order.
   *
   * @param byStore bytes per store
   * @return the object
   */
  public static ObjectNode bytes(Map<StoreId, Long> byStore) {
    ObjectNode node = object();
    byStore.forEach((s, n) -> node.put(s.value(), n));
    return node;
  }

  /**
   * Bytes per store as Markdown text ({@code fast: 10, slow: 10}; an em dash when none).
   *
   * @param byStore bytes per store
   * @return the text
   */
  public static String bytesText(Map<StoreId, Long> byStore) {
    if (byStore.isEmpty()) {
      return "—";
    }
    StringBuilder out = new StringBuilder();
    byStore.forEach((s, n) -> out.append(out.length() == 0 ? "" : ", ")
        .append(s.value()).append(": ").append(n));
    return out.toString();
  }

  /**
   * Appends a Markdown table: the header, then one row per entry; every cell escaped.
   *
   * @param out where the table goes
   * @param header the column titles
   * @param rows the rows, each as long as the header
   */
  public static void table(StringBuilder out, List<String> header, List<List<String>> rows) {
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

  /**
   * Text safe in a Markdown table cell: backslashes and pipes escaped, line breaks as spaces.
   *
   * @param text any text
   * @return the text as a cell shows it
   */
  public static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
  }
}
