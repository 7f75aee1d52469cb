package dev.imagegov.protection;

import java.util.Objects;
import java.util.Optional;

/**
 * Why property protections allow or deny one operation on one property for one caller, for
 * operators: the answer, the section that decided it (empty when protections are off, when the
 * file has no sections, or when no section matches) and the reason in words. {@link #allowed()}
 * is always the answer {@link PropertyProtections#allows} gives for the same arguments.
 *
 * @param property the custom property asked about
 * @param operation the operation asked about
 * @param allowed whether the operation is allowed
 * @param section the section (a regular expression) whose rule decided, if one did
 * @param reason why, in words: the rule applied and how the caller fared against it
 */
public record ProtectionDecision(
    String property,
    PropertyOperation operation,
    boolean allowed,
    Optional<String> section,
    String reason) {
  /**
   * Checks that no component is null.
   *
   * @param allowed whether the operation is allowed
   * @param operation the operation asked for
   * @param property the property asked about
   * @param reason why, for the reader
   * @param section the section of the protections file that matched, if any
   */
  public ProtectionDecision {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * A readable trace: a first line {@code <operation> '<property>' = ALLOW} (or {@code DENY}),
   * then the deciding section, if any, and the reason, indented.
   *
   * @return a readable trace: a first line {@code <operation> '<property>' = ALLOW} (or {@code
   *     DENY}), then the deciding section, if any, and the reason, indented
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(operation.name().toLowerCase(java.util.Locale.ROOT))
        .append(" '")
        .append(property)
        .append("' = ")
        .append(allowed ? "ALLOW" : "DENY")
        .append('\n');
    section.ifPresent(s -> out.append("  section [").append(s).append("]\n"));
    for (String line : reason.split("\n", -1)) {
      out.append("  ").append(line).append('\n');
    }
    return out.toString();
  }
}
