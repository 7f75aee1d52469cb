package dev.imagegov.sharing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.model.ProjectId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TenancyDirectory} read from a YAML file, for an application that keeps its projects in
 * a file rather than asking its identity service:
 *
 * <pre>
 * domains: [acme, globex]
 * projects:
 *   platform: {domain: acme}
 *   team-a: {parent: platform}
 *   team-b: {parent: platform, domain: acme}
 *   lab: {}
 * </pre>
 *
 * <p>{@code domains} (optional) lists the domains. {@code projects} (optional) maps each project
 * id to its {@code parent} and {@code domain}, both optional, in any order (a parent may be named
 * before it is listed). As in Keystone, a project below a parent belongs to its parent's domain:
 * a project that names none inherits it, one that names another is refused.
 *
 * <p>Anything else is refused with a {@link ConfigurationException} naming the file, the line and
 * what is wrong: a YAML syntax error, an unknown key, a value of the wrong kind, an empty or
 * duplicate id, a parent or domain the file does not declare, a parent chain that loops or is
 * deeper than {@link TenancyDirectory#MAX_DEPTH}. The reader is iterative over a fixed shape (no
 * recursion on the input); YAML aliases and tags are refused.
 */
public final class TenancyFile {
  private static final YAMLFactory YAML = new YAMLFactory();

  private TenancyFile() {}

  /** One project as the file declares it, with the line it starts at. */
  private record Declared(
      ProjectId id, @Nullable ProjectId parent, @Nullable ProjectId domain, int line) {}

  /**
   * Reads a tenancy file.
   *
   * @param file the YAML file
   * @return the directory it declares, changeable afterwards like any {@link MemoryTenancy}
   * @throws ConfigurationException if the file cannot be read or declares no valid tenancy, naming
   *     the file, the line and the fault
   */
  public static MemoryTenancy read(Path file) {
    Objects.requireNonNull(file, "file");
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("tenancy file " + file + ": cannot be read (" + e + ")", e);
    }
    return parse(content, "tenancy file " + file);
  }

  /**
   * Reads a tenancy document.
   *
   * @param content the YAML text
   * @param where how messages name the document (for example {@code tenancy file /etc/x.yaml})
   * @return the directory it declares
   * @throws ConfigurationException naming {@code where}, the line and the fault
   */
  public static MemoryTenancy parse(String content, String where) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(where, "where");
    List<ProjectId> domains = new ArrayList<>();
    Map<ProjectId, Declared> projects = new LinkedHashMap<>();
    try (JsonParser p = YAML.createParser(content)) {
      read(p, where, domains, projects);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String position = at == null ? "" : " at line " + at.getLineNr();
      throw new ConfigurationException(
          where + ": not valid YAML" + position + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigurationException(where + ": cannot be read (" + e + ")", e);
    }
    return build(where, domains, projects);
  }

  private static void read(
      JsonParser p, String where, List<ProjectId> domains, Map<ProjectId, Declared> projects)
      throws IOException {
    JsonToken t = next(p, where);
    if (t == null || t == JsonToken.VALUE_NULL) {
      return;
    }
    expect(p, where, t, JsonToken.START_OBJECT, "the document must be a mapping");
    while ((t = next(p, where)) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      int line = line(p);
      if ("domains".equals(key)) {
        expect(p, where, next(p, where), JsonToken.START_ARRAY, "domains must be a list of ids");
        while ((t = next(p, where)) != JsonToken.END_ARRAY) {
          expect(p, where, t, JsonToken.VALUE_STRING, "a domain must be an id");
          ProjectId domain = id(p, where, "domain");
          if (domains.contains(domain)) {
            throw bad(where, line(p), "domain " + domain + " is declared twice");
          }
          domains.add(domain);
        }
      } else if ("projects".equals(key)) {
        expect(p, where, next(p, where), JsonToken.START_OBJECT,
            "projects must be a mapping from project id to its parent and domain");
        while ((t = next(p, where)) == JsonToken.FIELD_NAME) {
          Declared d = project(p, where);
          if (projects.containsKey(d.id())) {
            throw bad(where, d.line(), "project " + d.id() + " is declared twice");
          }
          projects.put(d.id(), d);
        }
      } else {
        throw bad(where, line, "unknown key \"" + key + "\" (expected domains or projects)");
      }
    }
    if (next(p, where) != null) {
      throw bad(where, line(p), "holds more than one document");
    }
  }

  /** One {@code id: {parent: x, domain: y}} entry; the parser is on its id. */
  private static Declared project(JsonParser p, String where) throws IOException {
    int line = line(p);
    String raw = p.currentName();
    if (raw == null || raw.isBlank()) {
      throw bad(where, line, "a project has an empty id");
    }
    ProjectId id = ProjectId.of(raw);
    JsonToken t = next(p, where);
    if (t == JsonToken.VALUE_NULL) {
      return new Declared(id, null, null, line);
    }
    expect(p, where, t, JsonToken.START_OBJECT,
        "project " + id + " must be a mapping with parent and domain");
    ProjectId parent = null;
    ProjectId domain = null;
    while ((t = next(p, where)) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      if (!"parent".equals(key) && !"domain".equals(key)) {
        throw bad(where, line(p),
            "project " + id + ": unknown key \"" + key + "\" (expected parent or domain)");
      }
      expect(p, where, next(p, where), JsonToken.VALUE_STRING,
          "project " + id + ": " + key + " must be an id");
      ProjectId value = id(p, where, key);
      if ("parent".equals(key)) {
        parent = value;
      } else {
        domain = value;
      }
    }
    return new Declared(id, parent, domain, line);
  }

  /** Adds the declarations parents first, checking every reference, loop and depth. */
  private static MemoryTenancy build(
      String where, List<ProjectId> domains, Map<ProjectId, Declared> projects) {
    MemoryTenancy.Builder builder = MemoryTenancy.builder();
    for (ProjectId domain : domains) {
      if (projects.containsKey(domain)) {
        throw bad(where, projects.get(domain).line(),
            domain + " is declared both as a domain and as a project");
      }
      builder.domain(domain);
    }
    Map<ProjectId, ProjectId> domainOf = new LinkedHashMap<>();
    for (Declared d : projects.values()) {
      // Walk up to the first ancestor already added (iteratively, bounded by MAX_DEPTH), then add
      // the chain from the top down.
      List<Declared> chain = new ArrayList<>();
      Declared current = d;
      while (current != null && !domainOf.containsKey(current.id())) {
        if (chain.contains(current)) {
          throw bad(where, d.line(), "the parent chain of project " + d.id() + " loops at "
              + current.id());
        }
        if (chain.size() > TenancyDirectory.MAX_DEPTH) {
          throw bad(where, d.line(), "the parent chain of project " + d.id()
              + " is deeper than " + TenancyDirectory.MAX_DEPTH);
        }
        chain.add(current);
        ProjectId parent = current.parent();
        if (parent == null) {
          current = null;
        } else if (projects.containsKey(parent)) {
          current = projects.get(parent);
        } else {
          throw bad(where, current.line(), "project " + current.id() + " names parent " + parent
              + (domains.contains(parent) ? ", which is a domain" : ", which is not declared"));
        }
      }
      for (int i = chain.size() - 1; i >= 0; i--) {
        Declared c = chain.get(i);
        ProjectId inherited = c.parent() == null ? null : domainOf.get(c.parent());
        ProjectId domain = c.domain() != null ? c.domain() : inherited;
        if (c.domain() != null && !domains.contains(c.domain())) {
          throw bad(where, c.line(), "project " + c.id() + " names domain " + c.domain()
              + ", which is not declared");
        }
        if (c.domain() != null && inherited != null && !inherited.equals(c.domain())) {
          throw bad(where, c.line(), "project " + c.id() + " names domain " + c.domain()
              + " but its parent " + c.parent() + " is in domain " + inherited);
        }
        if (depth(c, projects) > TenancyDirectory.MAX_DEPTH) {
          throw bad(where, c.line(), "the parent chain of project " + c.id()
              + " is deeper than " + TenancyDirectory.MAX_DEPTH);
        }
        builder.project(c.id(), c.parent(), domain);
        domainOf.put(c.id(), domain);
      }
    }
    return builder.build();
  }

  /** How many parents {@code d} has; the chain is known to end (no loop) when this is called. */
  private static int depth(Declared d, Map<ProjectId, Declared> projects) {
    int depth = 0;
    Declared current = d;
    while (current.parent() != null && depth <= TenancyDirectory.MAX_DEPTH) {
      current = projects.get(current.parent());
      depth++;
    }
    return depth;
  }

  private static @Nullable JsonToken next(JsonParser p, String where) throws IOException {
    JsonToken t = p.nextToken();
    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
      throw bad(where, line(p), "YAML aliases are not allowed (*" + p.getText() + ")");
    }
    if (t != null && t != JsonToken.FIELD_NAME && p.getTypeId() != null) {
      throw bad(where, line(p), "YAML tags are not allowed (!" + p.getTypeId() + ")");
    }
    return t;
  }

  private static void expect(
      JsonParser p, String where, @Nullable JsonToken actual, JsonToken wanted, String message) {
    if (actual != wanted) {
      throw bad(where, line(p), message);
    }
  }

  private static ProjectId id(JsonParser p, String where, String what) throws IOException {
    String text = p.getText();
    if (text == null || text.isBlank()) {
      throw bad(where, line(p), "a " + what + " id is empty");
    }
    return ProjectId.of(text);
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private static ConfigurationException bad(String where, int line, String message) {
    return new ConfigurationException(where + ", line " + line + ": " + message);
  }
}
