package dev.imagegov.access;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.error.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * An oslo.policy-compatible policy: named rules written in oslo.policy's expression language,
 * compiled once, evaluated for a {@link Caller} against a {@link PolicyTarget}.
 *
 * <p>The language: {@code role:<name>} (the caller holds the role, directly or implied, ignoring
 * case); {@code rule:<name>} (another rule's result); {@code <attribute>:<match>} where the
 * attribute is the caller's {@code project_id}, {@code user_id}, {@code is_admin} ({@code
 * True}/{@code False}, from {@code context_is_admin}) or {@code roles}, and the match is text with
 * {@code %(key)s} placeholders filled from the target ({@code project_id:%(owner)s}); {@code
 * <literal>:<match>} where the left side is a quoted string or a Python constant ({@code
 * 'public':%(visibility)s}); {@code @} and the empty rule (always), {@code !} (never); {@code
 * and}, {@code or}, {@code not} with parentheses, {@code not} binding tightest and {@code or}
 * loosest. A placeholder the target has no value for, or an attribute callers do not have, never
 * matches.
 *
 * <p>Immutable and thread-safe: the {@code with…} methods return new policies. Every rule is
 * checked when a policy is built: a malformed check string, a reference to a rule that does not
 * exist, or a cycle of references is refused with a {@link
 * dev.imagegov.error.ConfigurationException} naming the rule. {@link #allows} parses nothing and
 * builds no
 * trace; {@link #decide} gives the same answer with an explanation. A rule name the policy does not
 * define is denied.
 */
public final class Policy {
  /** The syntax of a policy document. */
  public enum Format {
    /** {@code policy.yaml}: a YAML mapping from rule name to check string. */
    YAML,
    /** {@code policy.json}: a JSON object from rule name to check string. */
    JSON
  }

  private static final JsonFactory JSON_FACTORY = new JsonFactory();
  private static final YAMLFactory YAML_FACTORY = new YAMLFactory();
  private static final String YAML_STRING_TAG = "tag:yaml.org,2002:str";

  private final ImmutableMap<String, String> checkStrings;
  private final ImmutableMap<String, ImmutableSet<String>> impliedRoles;
  private final ImmutableMap<String, Node> rules;
  private final @Nullable Node contextIsAdmin;
  /** For each role name that matters: the roles it implies (itself included) and their bits. */
  private final ImmutableMap<String, RoleInfo> roleInfo;
  /** The rules another rule refers to ({@code rule:<name>}). */
  private final ImmutableSet<String> referenced;

  private static final class RoleInfo {
    final ImmutableSet<String> closure;
    final long mask;

    RoleInfo(ImmutableSet<String> closure, long mask) {
      this.closure = closure;
      this.mask = mask;
    }
  }

  private Policy(Map<String, String> checkStrings, Map<String, ImmutableSet<String>> implied) {
    this.checkStrings = ImmutableMap.copyOf(checkStrings);
    this.impliedRoles = ImmutableMap.copyOf(implied);
    Map<String, Node> compiled = new LinkedHashMap<>();
    Map<String, List<Node.RuleRef>> refs = new LinkedHashMap<>();
    Map<String, Integer> depths = new HashMap<>();
    for (Map.Entry<String, String> e : this.checkStrings.entrySet()) {
      List<Node.RuleRef> found = new ArrayList<>();
      RuleParser.Parsed parsed = RuleParser.parse(e.getKey(), e.getValue(), found::add);
      compiled.put(e.getKey(), parsed.node());
      depths.put(e.getKey(), parsed.depth());
      refs.put(e.getKey(), found);
    }
    for (Map.Entry<String, List<Node.RuleRef>> e : refs.entrySet()) {
      for (Node.RuleRef ref : e.getValue()) {
        Node target = compiled.get(ref.name);
        if (target == null) {
          throw invalid(
              "policy rule \""
                  + e.getKey()
                  + "\" refers to rule \""
                  + ref.name
                  + "\", which is not defined");
        }
        ref.target = target;
      }
    }
    checkReferences(refs, depths);
    ImmutableSet.Builder<String> referencedBuilder = ImmutableSet.builder();
    refs.values().forEach(list -> list.forEach(ref -> referencedBuilder.add(ref.name)));
    this.referenced = referencedBuilder.build();
    this.rules = ImmutableMap.copyOf(compiled);
    this.contextIsAdmin = compiled.get(Rules.CONTEXT_IS_ADMIN);
    this.roleInfo = roleTable(compiled.values(), this.impliedRoles);
  }

  /**
   * Refuses a cycle of rule references, and a rule nested deeper than {@link RuleParser#MAX_DEPTH}
   * levels once the rules it refers to are counted in ({@code depths} holds each rule's own depth
   * and is updated to the depth through its references). Iterative, so a long chain of references
   * cannot exhaust the stack here either.
   */
  private static void checkReferences(
      Map<String, List<Node.RuleRef>> refs, Map<String, Integer> depths) {
    Map<String, Integer> state = new HashMap<>();
    for (String start : refs.keySet()) {
      if (state.getOrDefault(start, 0) != 0) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<Iterator<Node.RuleRef>> stack = new ArrayDeque<>();
      path.addLast(start);
      stack.push(refs.get(start).iterator());
      state.put(start, 1);
      while (!stack.isEmpty()) {
        Iterator<Node.RuleRef> it = stack.peek();
        if (!it.hasNext()) {
          stack.pop();
          String done = path.removeLast();
          state.put(done, 2);
          int depth = depths.get(done);
          for (Node.RuleRef ref : refs.get(done)) {
            depth = Math.max(depth, ref.level + depths.get(ref.name));
          }
          if (depth > RuleParser.MAX_DEPTH) {
            throw invalid(
                "policy rule \""
                    + done
                    + "\" is nested deeper than "
                    + RuleParser.MAX_DEPTH
                    + " levels (parentheses, not and rule references)");
          }
          depths.put(done, depth);
          continue;
        }
        String next = it.next().name;
        int s = state.getOrDefault(next, 0);
        if (s == 1) {
          List<String> cycle = new ArrayList<>();
          boolean in = false;
          for (String p : path) {
            in |= p.equals(next);
            if (in) {
              cycle.add(p);
            }
          }
          cycle.add(next);
          throw invalid(
              "policy rule \""
                  + next
                  + "\" is part of a cycle of rule references: "
                  + String.join(" → ", cycle));
        }
        if (s == 0) {
          state.put(next, 1);
          path.addLast(next);
          stack.push(refs.get(next).iterator());
        }
      }
    }
  }

  private static ImmutableMap<String, RoleInfo> roleTable(
      Iterable<Node> roots, Map<String, ImmutableSet<String>> implied) {
    Map<String, Integer> bits = new LinkedHashMap<>();
    List<Node.Role> roleNodes = new ArrayList<>();
    for (Node root : roots) {
      collectRoles(root, roleNodes);
    }
    for (Node.Role r : roleNodes) {
      if (r.constant != null && !bits.containsKey(r.constant) && bits.size() < Long.SIZE) {
        bits.put(r.constant, bits.size());
      }
    }
    for (Node.Role r : roleNodes) {
      Integer bit = r.constant == null ? null : bits.get(r.constant);
      r.bit = bit == null ? -1 : bit;
    }
    Set<String> names = new java.util.LinkedHashSet<>(bits.keySet());
    names.addAll(implied.keySet());
    ImmutableMap.Builder<String, RoleInfo> out = ImmutableMap.builder();
    for (String name : names) {
      ImmutableSet<String> closure = closure(name, implied);
      long mask = 0;
      for (String c : closure) {
        Integer bit = bits.get(c);
        if (bit != null) {
          mask |= 1L << bit;
        }
      }
      out.put(name, new RoleInfo(closure, mask));
    }
    return out.buildOrThrow();
  }

  private static void collectRoles(Node n, List<Node.Role> out) {
    if (n instanceof Node.Role) {
      out.add((Node.Role) n);
    } else if (n instanceof Node.And) {
      for (Node o : ((Node.And) n).operands) {
        collectRoles(o, out);
      }
    } else if (n instanceof Node.Or) {
      for (Node o : ((Node.Or) n).operands) {
        collectRoles(o, out);
      }
    } else if (n instanceof Node.Not) {
      collectRoles(((Node.Not) n).operand, out);
    }
  }

  private static ImmutableSet<String> closure(
      String role, Map<String, ImmutableSet<String>> implied) {
    Set<String> seen = new java.util.LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(role);
    while (!todo.isEmpty()) {
      String r = todo.poll();
      if (seen.add(r)) {
        todo.addAll(implied.getOrDefault(r, ImmutableSet.of()));
      }
    }
    return ImmutableSet.copyOf(seen);
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(message);
  }

  // ---------------------------------------------------------------- construction

  /**
   * Glance's new (secure RBAC) default rules, as enforced with {@code enforce_new_defaults = True}
   * and scope checks off, with Keystone's implied roles: admin implies member, member implies
   * reader. This is imagegov's default policy.
   *
   * @return Glance's new (secure RBAC) default rules, as enforced with {@code enforce_new_defaults
   *     = True} and scope checks off, with Keystone's implied roles: admin implies member, member
   *     implies reader
   */
  public static Policy secureDefaults() {
    return Defaults.SECURE;
  }

  /**
   * Zed's legacy defaults ({@code enforce_new_defaults = False}): each rule that has a deprecated
   * rule is enforced as {@code (new check) or (rule:default)}, which with {@code default = ""}
   * allows anyone (overriding {@code default} tightens them all, as in Glance). Rules without a
   * deprecated rule stay admin-only: {@code publicize_image}, {@code copy_image}, {@code
   * manage_image_cache} (and the cache rules that fall back to it), {@code stores_info_detail} and
   * {@code tasks_api_access}. Same implied roles as {@link #secureDefaults()}.
   *
   * @return zed's legacy defaults ({@code enforce_new_defaults = False}): each rule that has a
   *     deprecated rule is enforced as {@code (new check) or (rule:default)}, which with {@code
   *     default = ""} allows anyone (overriding {@code default} tightens them all, as in Glance)
   */
  public static Policy legacyDefaults() {
    return Defaults.LEGACY;
  }

  /** The two built-in policies, compiled once on first use (policies are immutable). */
  private static final class Defaults {
    static final Policy SECURE =
        new Policy(DefaultRules.secure(), normalize(DefaultRules.IMPLIED_ROLES));
    static final Policy LEGACY =
        new Policy(DefaultRules.legacy(), normalize(DefaultRules.IMPLIED_ROLES));

    private Defaults() {}
  }

  /**
   * This policy with rule {@code name} set to {@code checkString} (added or replaced).
   *
   * @param name the rule's name
   * @param checkString the rule's check string, in oslo.policy's syntax
   * @return a copy of this policy with that rule set
   * @throws ConfigurationException naming the rule if the name
   *     is empty, the check string does not parse, refers to an undefined rule or closes a cycle
   */
  public Policy withRule(String name, String checkString) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(checkString, "checkString");
    return withRules(ImmutableMap.of(name, checkString));
  }

  /**
   * This policy with every rule of {@code overrides} set (added or replaced), as a policy file
   * overrides the defaults. References between the new rules are allowed in any order.
   *
   * @param overrides check strings by rule name
   * @return a copy of this policy with those rules set
   * @throws ConfigurationException naming the first bad rule
   */
  public Policy withRules(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(checkStrings);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "rule name");
      String check = Objects.requireNonNull(e.getValue(), "check string");
      if (name.trim().isEmpty()) {
        throw invalid("a policy rule has an empty name (check string \"" + check + "\")");
      }
      merged.put(name, check);
    }
    return new Policy(merged, impliedRoles);
  }

  /**
   * This policy with another implied-role table, replacing the current one: each role maps to the
   * roles it implies; implication is transitive ({@code admin → member → reader} gives an admin
   * all three). Role names are compared ignoring case. An empty map turns implication off.
   *
   * @param implied each role and the roles it implies
   * @return a copy of this policy with {@code implied} as its implied-role table
   * @throws ConfigurationException if a role name is empty
   */
  public Policy withImpliedRoles(Map<String, ? extends Set<String>> implied) {
    return new Policy(checkStrings, normalize(implied));
  }

  private static Map<String, ImmutableSet<String>> normalize(
      Map<String, ? extends Set<String>> implied) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends Set<String>> e : implied.entrySet()) {
      String role = roleName(Objects.requireNonNull(e.getKey(), "role"));
      Set<String> targets = out.computeIfAbsent(role, r -> new java.util.LinkedHashSet<>());
      for (String t : e.getValue()) {
        targets.add(roleName(Objects.requireNonNull(t, "implied role")));
      }
    }
    Map<String, ImmutableSet<String>> frozen = new LinkedHashMap<>();
    out.forEach((k, v) -> frozen.put(k, ImmutableSet.copyOf(v)));
    return frozen;
  }

  private static String roleName(String raw) {
    String r = raw.trim().toLowerCase(Locale.ROOT);
    if (r.isEmpty()) {
      throw invalid("implied roles: a role name is empty");
    }
    return r;
  }

  /**
   * {@code base} with the rules of a policy file applied: {@code .json} files are read as JSON,
   * anything else ({@code .yaml}, {@code .yml}) as YAML. The document must be a mapping from rule
   * name to check string; an empty document changes nothing.
   *
   * @param policyFile the {@code policy.yaml} or {@code policy.json} file
   * @param base the policy whose rules the file overrides
   * @return {@code base} with the rules of a policy file applied: {@code .json} files are read as
   *     JSON, anything else ({@code .yaml}, {@code .yml}) as YAML
   * @throws ConfigurationException naming the file, and the
   *     rule when one is at fault, if the file cannot be read or is malformed
   */
  public static Policy load(Path policyFile, Policy base) {
    return loadChecked(policyFile, base).policy();
  }

  /**
   * {@link #load} that also reports the file's rules no Glance action uses: a rule whose name is
   * not one of Glance's (the names of {@link #secureDefaults()}) and that no other rule refers to
   * ({@code rule:<name>}) can never take effect, which is usually a misspelt name ({@code
   * modify_imge}). Each such rule is a warning naming the file, the line and the rule, returned
   * with the policy and logged through the {@link System.Logger} {@code dev.imagegov.access} at
   * {@code WARNING}; the policy is loaded all the same.
   *
   * @param policyFile the {@code policy.yaml} or {@code policy.json} file
   * @param base the policy whose rules the file overrides
   * @return the policy and the warnings about its file
   * @throws ConfigurationException as {@link #load}
   */
  public static LoadedPolicy loadChecked(Path policyFile, Policy base) {
    Objects.requireNonNull(policyFile, "policyFile");
    Objects.requireNonNull(base, "base");
    String name = policyFile.getFileName() == null ? "" : policyFile.getFileName().toString();
    Format format = name.toLowerCase(Locale.ROOT).endsWith(".json") ? Format.JSON : Format.YAML;
    String content;
    try {
      content = new String(Files.readAllBytes(policyFile), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException("policy file " + policyFile + ": cannot be read (" + e + ")",
          e);
    }
    return parseChecked(content, format, base, "policy file " + policyFile);
  }

  /**
   * {@return {@link #secureDefaults()} with the rules of a policy document applied}
   *
   * @param content the text of a policy file
   * @param format whether the text is JSON or YAML
   */
  public static Policy parse(String content, Format format) {
    return parse(content, format, secureDefaults());
  }

  /**
   * {@code base} with the rules of a policy document applied.
   *
   * @param content the text of a policy file
   * @param format whether the text is JSON or YAML
   * @param base the policy whose rules the document overrides
   * @return {@code base} with the rules of a policy document applied
   * @throws ConfigurationException naming the rule at fault,
   *     or the position of a syntax error
   */
  public static Policy parse(String content, Format format, Policy base) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(base, "base");
    return parse(content, format, base, "policy document");
  }

  private static Policy parse(String content, Format format, Policy base, String where) {
    return parseChecked(content, format, base, where).policy();
  }

  private static LoadedPolicy parseChecked(
      String content, Format format, Policy base, String where) {
    Map<String, String> overrides;
    Map<String, Integer> lines = new HashMap<>();
    JsonFactory factory = format == Format.JSON ? JSON_FACTORY : YAML_FACTORY;
    try (JsonParser p = factory.createParser(content)) {
      overrides = readRules(p, format, where, lines);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String position =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigurationException(
          where + ": not valid " + format + position + ": " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ConfigurationException) {
        throw (ConfigurationException) e;
      }
      throw new ConfigurationException(where + ": not valid " + format + ": " + e, e);
    }
    if (overrides.isEmpty()) {
      return new LoadedPolicy(base, List.of());
    }
    Policy loaded;
    try {
      loaded = base.withRules(overrides);
    } catch (ConfigurationException e) {
      throw new ConfigurationException(where + ": " + e.getMessage(), e);
    }
    List<String> warnings = new ArrayList<>();
    Set<String> glance = secureDefaults().ruleNames();
    for (String rule : overrides.keySet()) {
      if (!glance.contains(rule) && !loaded.referenced.contains(rule)) {
        warnings.add(where + ", line " + lines.get(rule) + ": policy rule \"" + rule
            + "\" is used by no Glance action and no other rule, so it has no effect"
            + " (a misspelt rule name?)");
      }
    }
    for (String w : warnings) {
      LOG.log(System.Logger.Level.WARNING, w);
    }
    return new LoadedPolicy(loaded, warnings);
  }

  private static final System.Logger LOG = System.getLogger("dev.imagegov.access");

  /**
   * Reads a mapping of rule name to check string. YAML is read as PyYAML's safe loader would accept
   * it for a policy file, minus what cannot be read faithfully here: aliases and explicit tags
   * other than {@code !!str} are refused rather than misread, as is more than one document.
   */
  private static Map<String, String> readRules(
      JsonParser p, Format format, String where, Map<String, Integer> lines) throws IOException {
    Map<String, String> rules = new LinkedHashMap<>();
    JsonToken t = p.nextToken();
    if (t == null || t == JsonToken.VALUE_NULL) {
      expectEnd(p, where);
      return rules;
    }
    if (t != JsonToken.START_OBJECT) {
      throw invalid(
          where + ": must be a mapping from rule name to check string, not " + describe(t));
    }
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      int line = p.currentTokenLocation().getLineNr();
      JsonToken value = p.nextToken();
      if (name == null || name.trim().isEmpty()) {
        throw invalid(where + ": a rule has an empty name");
      }
      String rule = "policy rule \"" + name + "\"";
      if (p instanceof YAMLParser && ((YAMLParser) p).isCurrentAlias()) {
        throw invalid(where + ": " + rule + " is a YAML alias (*" + p.getText()
            + "); write the check string out");
      }
      if (value != JsonToken.VALUE_STRING) {
        throw invalid(
            where
                + ": "
                + rule
                + " must be a check string, not "
                + describe(value)
                + (value == JsonToken.START_ARRAY
                    ? " (the list-of-lists syntax is not supported)"
                    : ""));
      }
      if (format == Format.YAML) {
        Object tag = p.getTypeId();
        if (tag != null && !YAML_STRING_TAG.equals(tag)) {
          throw invalid(where + ": " + rule + " carries the YAML tag !" + tag
              + "; only plain strings are allowed");
        }
      }
      rules.put(name, p.getText());
      lines.put(name, line);
    }
    if (t != JsonToken.END_OBJECT) {
      throw invalid(where + ": malformed mapping");
    }
    expectEnd(p, where);
    return rules;
  }

  private static void expectEnd(JsonParser p, String where) throws IOException {
    if (p.nextToken() != null) {
      throw invalid(where + ": holds more than one document or value");
    }
  }

  private static String describe(@Nullable JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_ARRAY:
        return "a list";
      case START_OBJECT:
        return "a mapping";
      case VALUE_NULL:
        return "empty";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_STRING:
        return "a string";
      default:
        return t.toString().toLowerCase(Locale.ROOT);
    }
  }

  // ---------------------------------------------------------------- evaluation

  /**
   * Whether {@code rule} allows {@code caller} to act on {@code target}. False for a rule name this
   * policy does not define.
   *
   * @param rule the rule's name ({@code publicize_image}, ...)
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param target the values the rule's checks read ({@code owner}, {@code visibility}, ...)
   * @return whether {@code rule} allows {@code caller} to act on {@code target}
   */
  public boolean allows(String rule, Caller caller, PolicyTarget target) {
    Node n = rules.get(rule);
    if (n == null) {
      Objects.requireNonNull(rule, "rule");
      return false;
    }
    return n.eval(
        new EvalContext(
            facts(Objects.requireNonNull(caller, "caller")),
            caller,
            Objects.requireNonNull(target, "target")));
  }

  /**
   * {@return the same answer as {@link #allows}, with the explanation of every check that produced
   * it}
   *
   * @param rule the rule's name ({@code publicize_image}, ...)
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param target the values the rule's checks read ({@code owner}, {@code visibility}, ...)
   */
  public Decision decide(String rule, Caller caller, PolicyTarget target) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(target, "target");
    Node n = rules.get(rule);
    if (n == null) {
      return new Decision(
          rule, false, Explanation.leaf("rule:" + rule, false, "no such rule in this policy"));
    }
    Explanation e = n.explain(new EvalContext(facts(caller), caller, target));
    return new Decision(rule, e.result(), e);
  }

  /**
   * Whether {@code caller} is an administrator (Glance's context {@code is_admin}): the {@code
   * context_is_admin} rule evaluated against an empty target, with {@code is_admin} itself reading
   * {@code False} during that evaluation, as when Glance builds its request context.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @return whether {@code caller} is an administrator (Glance's context {@code is_admin}): the
   *     {@code context_is_admin} rule evaluated against an empty target, with {@code is_admin}
   *     itself reading {@code False} during that evaluation, as when Glance builds its request
   *     context
   */
  public boolean isAdmin(Caller caller) {
    return facts(Objects.requireNonNull(caller, "caller")).admin;
  }

  /**
   * {@return the caller's roles with every role they imply, transitively, lower case}
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   */
  public ImmutableSet<String> effectiveRoles(Caller caller) {
    return facts(Objects.requireNonNull(caller, "caller")).effective;
  }

  /**
   * What this policy derives from a caller alone: its effective roles, their bits and {@code
   * is_admin}. Immutable; computed once per (policy, caller) and kept on the caller, since both are
   * immutable values.
   */
  static final class CallerFacts {
    final Policy policy;
    final ImmutableSet<String> effective;
    final long mask;
    final boolean admin;

    /** {@link #rolesText}, once an explanation asked for it. */
    private @Nullable String rolesText;

    /** {@link #rolesDetail}, once an explanation asked for it. */
    private @Nullable String rolesDetail;

    CallerFacts(Policy policy, ImmutableSet<String> effective, long mask, boolean admin) {
      this.policy = policy;
      this.effective = effective;
      this.mask = mask;
      this.admin = admin;
    }

    /**
     * The effective roles as explanations show them ({@code a, b}, empty for none), joined once
     * per caller however many role checks an explanation reports. A race computes the same string
     * twice, harmlessly: a string is safe to publish without synchronization.
     */
    String rolesText() {
      String t = rolesText;
      if (t == null) {
        t = String.join(", ", effective);
        rolesText = t;
      }
      return t;
    }

    /**
     * {@link #rolesText} as a role check's explanation details it ({@code caller roles: a, b} or
     * {@code caller roles: none}), kept like it.
     */
    String rolesDetail() {
      String d = rolesDetail;
      if (d == null) {
        String roles = rolesText();
        d = roles.isEmpty() ? "caller roles: none" : "caller roles: " + roles;
        rolesDetail = d;
      }
      return d;
    }
  }

  /**
   * The effective roles of each role set seen: a server builds a fresh {@link Caller} per
   * request, and a cloud's callers carry few distinct role sets, so each is expanded once. Role
   * names come from tokens, so at most {@value #EXPANSIONS_KEPT} sets are kept; a set beyond them
   * is expanded on every request, with the same answer.
   */
  private final ConcurrentHashMap<ImmutableSet<String>, ImmutableSet<String>> expansions =
      new ConcurrentHashMap<>();

  private static final int EXPANSIONS_KEPT = 1_024;

  /** The caller's facts under this policy, from the caller's memo when it holds this policy's. */
  CallerFacts facts(Caller caller) {
    CallerFacts f = caller.facts;
    if (f == null || f.policy != this) {
      f = computeFacts(caller);
      caller.facts = f;
    }
    return f;
  }

  private CallerFacts computeFacts(Caller caller) {
    ImmutableSet<String> effective = expandRoles(caller);
    long mask = roleMask(caller);
    Node n = contextIsAdmin;
    // Glance's is_admin: context_is_admin against an empty target, reading is_admin as False
    // while it is being computed (as in a freshly built request context).
    boolean admin =
        n != null && n.eval(EvalContext.forAdminCheck(this, caller, effective, mask));
    return new CallerFacts(this, effective, mask, admin);
  }

  private ImmutableSet<String> expandRoles(Caller caller) {
    ImmutableSet<String> roles = caller.roles();
    ImmutableSet<String> known = expansions.get(roles);
    if (known != null) {
      return known;
    }
    ImmutableSet<String> expanded = expand(roles);
    if (expansions.size() < EXPANSIONS_KEPT) {
      expansions.putIfAbsent(roles, expanded);
    }
    return expanded;
  }

  private ImmutableSet<String> expand(ImmutableSet<String> roles) {
    ImmutableSet.Builder<String> out = null;
    for (String r : roles) {
      RoleInfo info = roleInfo.get(r);
      if (info != null && info.closure.size() > 1) {
        if (out == null) {
          out = ImmutableSet.<String>builder().addAll(roles);
        }
        out.addAll(info.closure);
      }
    }
    return out == null ? roles : out.build();
  }

  /** {@return the names of the rules this policy defines} */
  public ImmutableSet<String> ruleNames() {
    return checkStrings.keySet();
  }

  /**
   * {@return the check string of {@code rule}, if this policy defines it}
   *
   * @param rule the rule's name
   */
  public Optional<String> checkString(String rule) {
    return Optional.ofNullable(checkStrings.get(rule));
  }

  /** {@return every rule with its check string, in definition order} */
  public ImmutableMap<String, String> checkStrings() {
    return checkStrings;
  }

  /** {@return the implied-role table (role to the roles it directly implies), lower case} */
  public ImmutableMap<String, ImmutableSet<String>> impliedRoles() {
    return impliedRoles;
  }

  private long roleMask(Caller caller) {
    long mask = 0;
    for (String r : caller.roles()) {
      RoleInfo info = roleInfo.get(r);
      if (info != null) {
        mask |= info.mask;
      }
    }
    return mask;
  }

  @Override
  public String toString() {
    return "Policy{" + checkStrings.size() + " rules, implied roles " + impliedRoles + "}";
  }
}
