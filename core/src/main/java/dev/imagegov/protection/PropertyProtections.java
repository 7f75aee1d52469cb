package dev.imagegov.protection;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Decision;
import dev.imagegov.access.Policy;
import dev.imagegov.access.PolicyTarget;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.internal.ini.IniFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Glance's property protections: which callers may create, read, update and delete which custom
 * properties. Base attributes are never protected. {@link #none()} is the feature turned off:
 * everything is allowed.
 *
 * <p>Loaded from Glance's property-protections file ({@link #load}, {@link #parse}): an INI file
 * read as Python's {@code configparser} reads it, whose section names are Python regular
 * expressions over the property name and whose sections each give the four keys {@code create},
 * {@code read}, {@code update} and {@code delete}. To decide, the sections are tried in file
 * order; the first whose expression is found anywhere in the property name (an unanchored
 * search: {@code [foo]} matches {@code xfooy}) decides; a property no section matches is denied
 * to every caller, administrators included (there is no administrator bypass). A file without
 * sections allows everything, as in Glance. Within the deciding section, {@code !} denies,
 * {@code @} allows, an empty value denies; otherwise {@link RuleFormat#ROLES} allows a caller
 * holding one of the listed roles and {@link RuleFormat#POLICIES} asks the named policy rule with
 * an empty target (so checks on {@code %(owner)s} and the like never match).
 *
 * <p>Roles are the caller's roles with the roles they imply ({@link Policy#effectiveRoles}):
 * Glance compares the roles of the Keystone token, which already include implied roles, so a
 * rule listing {@code reader} admits a {@code member}.
 *
 * <p>Everything is checked and compiled once, when the file is loaded; deciding parses nothing.
 * An instance is immutable and thread-safe: to pick up a changed file, load it again and build a
 * new configuration with the result (Glance's current releases likewise keep the rules of a
 * gateway for its lifetime). The policy given at load time is the one the rules are evaluated
 * with; give the same policy as the configuration's.
 *
 * <p>Stricter than Glance: a key other than the four operations is refused (Glance ignores it;
 * it is almost always a misspelt operation), unless a value refers to it as an interpolation
 * variable ({@code %(name)s}); and in the policies format a rule name the policy does not define
 * is refused (Glance would deny silently).
 */
public final class PropertyProtections {
  private static final PropertyProtections NONE =
      new PropertyProtections(false, RuleFormat.ROLES, null, ImmutableList.of(), "");

  private static final ImmutableList<PropertyOperation> OPERATIONS =
      ImmutableList.copyOf(PropertyOperation.values());

  private final boolean enabled;
  private final RuleFormat format;
  private final @Nullable Policy policy;
  private final ImmutableList<Rule> rules;
  private final String source;

  /** Who a section allows for one operation. */
  private enum Kind {
    ANYONE,
    NOBODY,
    ROLES,
    POLICY
  }

  /** One operation's value in one section, compiled. */
  private record Permission(
      Kind kind, ImmutableSet<String> roles, String policyRule, String value, int line) {}

  /** One section, compiled. */
  private record Rule(
      String section, int line, Pattern pattern, ImmutableMap<PropertyOperation, Permission> ops) {}

  private PropertyProtections(
      boolean enabled,
      RuleFormat format,
      @Nullable Policy policy,
      ImmutableList<Rule> rules,
      String source) {
    this.enabled = enabled;
    this.format = format;
    this.policy = policy;
    this.rules = rules;
    this.source = source;
  }

  /** {@return no protections: every operation on every custom property is allowed} */
  public static PropertyProtections none() {
    return NONE;
  }

  /**
   * The protections of a property-protections file, read as UTF-8.
   *
   * @param file the file ({@code property_protection_file})
   * @param format how its values are written ({@code property_protection_rule_format})
   * @param policy the policy the rules are evaluated with (roles format: its implied roles;
   *     policies format: its rules)
   * @return the protections of a property-protections file, read as UTF-8
   * @throws ConfigurationException naming the file, and the
   *     line and section at fault, if the file cannot be read or any rule is malformed
   */
  public static PropertyProtections load(Path file, RuleFormat format, Policy policy) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(policy, "policy");
    String sourceName = "property protection file " + file;
    String content;
    try {
      byte[] bytes = Files.readAllBytes(file);
      content =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigurationException(sourceName + ": not valid UTF-8 text", e);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException(sourceName + ": cannot be read (" + e + ")", e);
    }
    return parse(content, format, policy, sourceName);
  }

  /**
   * The protections of the text of a property-protections file.
   *
   * @param content the file's text
   * @param format how its values are written
   * @param policy the policy the rules are evaluated with
   * @param sourceName where the text comes from, to start every error message with
   * @return the protections of the text of a property-protections file
   * @throws ConfigurationException naming {@code sourceName},
   *     the line and the section at fault and what is wrong
   */
  public static PropertyProtections parse(
      String content, RuleFormat format, Policy policy, String sourceName) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(sourceName, "sourceName");
    IniFile ini;
    try {
      ini = IniFile.parse(content);
    } catch (IniFile.SyntaxError e) {
      throw invalid(sourceName, e.line(), null, e.getMessage());
    }
    Set<String> referenced = new HashSet<>();
    ImmutableList.Builder<Rule> rules = ImmutableList.builder();
    for (IniFile.Section section : ini.sections()) {
      rules.add(compile(ini, section, format, policy, sourceName, referenced));
    }
    checkUnknownKeys(ini.defaults().values(), referenced, sourceName);
    for (IniFile.Section section : ini.sections()) {
      checkUnknownKeys(section.options().values(), referenced, sourceName);
    }
    return new PropertyProtections(true, format, policy, rules.build(), sourceName);
  }

  private static Rule compile(
      IniFile ini,
      IniFile.Section section,
      RuleFormat format,
      Policy policy,
      String sourceName,
      Set<String> referenced) {
    Pattern pattern;
    try {
      pattern = PythonRegex.compile(section.name());
    } catch (IllegalArgumentException e) {
      throw invalid(
          sourceName,
          section.line(),
          section.name(),
          "the section name is not a valid regular expression: " + e.getMessage());
    }
    Map<PropertyOperation, Permission> ops = new EnumMap<>(PropertyOperation.class);
    for (PropertyOperation op : OPERATIONS) {
      String key = key(op);
      Optional<IniFile.Option> option = ini.lookup(section, key);
      if (option.isEmpty()) {
        throw invalid(
            sourceName,
            section.line(),
            section.name(),
            "no '" + key + "' rule; every section must give create, read, update and delete");
      }
      IniFile.Option o = option.get();
      String value;
      try {
        value = ini.interpolate(section, o, referenced);
      } catch (IniFile.SyntaxError e) {
        throw invalid(sourceName, e.line(), o.section(), e.getMessage());
      }
      ops.put(op, permission(value, o, format, policy, sourceName));
    }
    return new Rule(section.name(), section.line(), pattern, ImmutableMap.copyOf(ops));
  }

  private static Permission permission(
      String value, IniFile.Option o, RuleFormat format, Policy policy, String sourceName) {
    if (value.isEmpty()) {
      return new Permission(Kind.NOBODY, ImmutableSet.of(), "", value, o.line());
    }
    if (format == RuleFormat.POLICIES) {
      if (value.indexOf(',') >= 0) {
        throw invalid(
            sourceName,
            o.line(),
            o.section(),
            o.key() + " = " + value + ": a policies-format rule names exactly one policy rule "
                + "(combine rules in the policy itself)");
      }
      if (value.equals("!")) {
        return new Permission(Kind.NOBODY, ImmutableSet.of(), "", value, o.line());
      }
      if (value.equals("@")) {
        return new Permission(Kind.ANYONE, ImmutableSet.of(), "", value, o.line());
      }
      if (policy.checkString(value).isEmpty()) {
        throw invalid(
            sourceName,
            o.line(),
            o.section(),
            o.key() + " = " + value + ": the policy defines no rule named \"" + value + "\"");
      }
      return new Permission(Kind.POLICY, ImmutableSet.of(), value, value, o.line());
    }
    List<String> roles = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      roles.add(IniFile.strip(part));
    }
    boolean nobody = roles.contains("!");
    boolean anyone = roles.contains("@");
    if (nobody && anyone) {
      throw invalid(
          sourceName,
          o.line(),
          o.section(),
          o.key() + " = " + value + ": '@' (anyone) and '!' (no one) are mutually exclusive");
    }
    if (nobody) {
      return new Permission(Kind.NOBODY, ImmutableSet.of(), "", value, o.line());
    }
    if (anyone) {
      return new Permission(Kind.ANYONE, ImmutableSet.of(), "", value, o.line());
    }
    ImmutableSet<String> lower =
        roles.stream()
            .map(r -> r.toLowerCase(Locale.ROOT))
            .filter(r -> !r.isEmpty())
            .collect(ImmutableSet.toImmutableSet());
    return new Permission(Kind.ROLES, lower, "", value, o.line());
  }

  private static void checkUnknownKeys(
      Iterable<IniFile.Option> options, Set<String> referenced, String sourceName) {
    for (IniFile.Option o : options) {
      if (!isOperation(o.key()) && !referenced.contains(o.key())) {
        throw invalid(
            sourceName,
            o.line(),
            o.section(),
            "unknown key '" + o.key() + "'; the keys are create, read, update and delete");
      }
    }
  }

  private static boolean isOperation(String key) {
    for (PropertyOperation op : OPERATIONS) {
      if (key(op).equals(key)) {
        return true;
      }
    }
    return false;
  }

  private static String key(PropertyOperation op) {
    return op.name().toLowerCase(Locale.ROOT);
  }

  private static ConfigurationException invalid(
      String sourceName, int line, @Nullable String section, String message) {
    StringBuilder m = new StringBuilder(sourceName).append(": line ").append(line);
    if (section != null) {
      m.append(", section [").append(section).append(']');
    }
    return new ConfigurationException(m + ": " + message);
  }

  /** {@return whether protections are configured at all} */
  public boolean enabled() {
    return enabled;
  }

  /**
   * {@return the rule format the file was read with ({@link RuleFormat#ROLES} when not enabled)}
   */
  public RuleFormat format() {
    return format;
  }

  /** {@return the section names (regular expressions) in the order they are tried} */
  public ImmutableList<String> sections() {
    return rules.stream().map(Rule::section).collect(ImmutableList.toImmutableList());
  }

  /**
   * The refusal of an operation that property protections deny: 403 {@code PROPERTY_PROTECTED},
   * with Glance's message for it ({@code ReservedProperty}: "Attribute 'k' is reserved.") followed
   * by what was denied, such as "Property protections do not let the caller update it.". Create,
   * patch and every other write raise this one refusal.
   *
   * @param property the custom property's name
   * @param operation what the caller may not do with it: create, update or delete
   * @return the refusal to throw
   */
  public static GovernanceException refusal(String property, PropertyOperation operation) {
    Objects.requireNonNull(property, "property");
    return GovernanceException.of(
        RuleCode.PROPERTY_PROTECTED,
        "Attribute '" + property + "' is reserved. Property protections do not let the caller "
            + operation.name().toLowerCase(Locale.ROOT) + " it.");
  }

  /**
   * {@return whether {@code caller} may do {@code operation} on the custom property {@code
   * property}}
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param property the custom property's name
   * @param operation create, read, update or delete
   */
  public boolean allows(Caller caller, String property, PropertyOperation operation) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(operation, "operation");
    if (!enabled || rules.isEmpty()) {
      return true;
    }
    Rule rule = match(property);
    if (rule == null) {
      return false;
    }
    Permission p = rule.ops().get(operation);
    switch (p.kind()) {
      case ANYONE:
        return true;
      case NOBODY:
        return false;
      case POLICY:
        return policy().allows(p.policyRule(), caller, PolicyTarget.empty());
      default:
        for (String role : policy().effectiveRoles(caller)) {
          if (p.roles().contains(role)) {
            return true;
          }
        }
        return false;
    }
  }

  /**
   * The same answer as {@link #allows}, with the section that decided it and why, for operators
   * asking why a property is hidden or refused.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param property the custom property's name
   * @param operation create, read, update or delete
   * @return the same answer as {@link #allows}, with the section that decided it and why, for
   *     operators asking why a property is hidden or refused
   */
  public ProtectionDecision decide(Caller caller, String property, PropertyOperation operation) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(operation, "operation");
    Optional<String> none = Optional.empty();
    if (!enabled) {
      return new ProtectionDecision(
          property, operation, true, none, "property protections are not configured");
    }
    if (rules.isEmpty()) {
      return new ProtectionDecision(
          property, operation, true, none, source + " defines no sections: everything is allowed");
    }
    Rule rule = match(property);
    if (rule == null) {
      return new ProtectionDecision(
          property,
          operation,
          false,
          none,
          "no section of " + source + " matches the property: denied to every caller");
    }
    Permission p = rule.ops().get(operation);
    String where =
        "first matching section (line " + rule.line() + "); " + key(operation) + " = "
            + p.value() + " (line " + p.line() + "): ";
    Optional<String> section = Optional.of(rule.section());
    switch (p.kind()) {
      case ANYONE:
        return new ProtectionDecision(property, operation, true, section, where + "anyone");
      case NOBODY:
        return new ProtectionDecision(
            property,
            operation,
            false,
            section,
            where + (p.value().isEmpty() ? "empty, so no one" : "no one"));
      case POLICY:
        Decision d = policy().decide(p.policyRule(), caller, PolicyTarget.empty());
        return new ProtectionDecision(
            property,
            operation,
            d.allowed(),
            section,
            where + "policy rule, evaluated with an empty target\n" + d.render().strip());
      default:
        ImmutableSet<String> roles = policy().effectiveRoles(caller);
        List<String> hits =
            roles.stream().filter(p.roles()::contains).collect(Collectors.toList());
        String have = "the caller's roles (implied roles included) are " + roles;
        return hits.isEmpty()
            ? new ProtectionDecision(
                property, operation, false, section, where + have + ", none of them listed")
            : new ProtectionDecision(
                property, operation, true, section, where + have + "; listed: " + hits);
    }
  }

  /**
   * The first section matching each property name seen (or {@link #NO_SECTION}), so a name's
   * patterns run once rather than for every image shown: a list page filters each row's
   * properties. Names are the callers' to choose, so at most {@value #MATCHES_KEPT} are kept; a
   * name beyond them is matched every time, with the same answer.
   */
  private final ConcurrentHashMap<String, Object> matches = new ConcurrentHashMap<>();

  private static final Object NO_SECTION = new Object();
  private static final int MATCHES_KEPT = 4_096;

  private @Nullable Rule match(String property) {
    Object known = matches.get(property);
    if (known != null) {
      return known == NO_SECTION ? null : (Rule) known;
    }
    Rule rule = firstMatch(property);
    if (matches.size() < MATCHES_KEPT) {
      matches.putIfAbsent(property, rule == null ? NO_SECTION : rule);
    }
    return rule;
  }

  private @Nullable Rule firstMatch(String property) {
    for (Rule rule : rules) {
      if (rule.pattern().matcher(property).find()) {
        return rule;
      }
    }
    return null;
  }

  private Policy policy() {
    return Objects.requireNonNull(policy, "policy of enabled protections");
  }

  @Override
  public String toString() {
    return enabled ? "PropertyProtections[" + source + ", " + format + ", " + sections() + "]"
        : "PropertyProtections.none()";
  }
}
