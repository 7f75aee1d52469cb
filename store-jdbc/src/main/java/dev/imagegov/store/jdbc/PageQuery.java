package dev.imagegov.store.jdbc;

import dev.imagegov.model.Image;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A {@link CatalogQuery} as one SQL statement, with exactly {@link QueryEvaluator}'s semantics.
 *
 * <p>The caller's base set is split into disjoint <i>sources</i>, each answerable from one index
 * in sort order: public images, community images, the images the caller's project owns (of the
 * other visibilities), and shared images it is a member of (directly, or through a group of the
 * query's lineage: see {@link #membership}); an admin's list has one source, every
 * listable image. Each source is its own {@code SELECT ... ORDER BY ... LIMIT n} (a range scan of
 * its index from the marker on, stopping after {@code n} rows), and the union is sorted once more
 * and cut to {@code n}: one page costs O(page + log n) whatever the catalog's size when the sort
 * is the default one ({@code created_at}, {@code id}). In that order the member source is read
 * from the member rows themselves, one range of a member index per status ({@link
 * #membershipsInOrder}), since each member row carries its image's {@code created_at} and
 * listability; in another order it walks the sort key's index over the shared images and probes
 * the caller's membership of each.
 *
 * <p>Sorting follows {@link QueryEvaluator#ordering}: an absent value sorts before every present
 * one ascending, after them descending. A nullable column {@code c} therefore sorts as the pair
 * {@code (c IS NOT NULL, COALESCE(c, zero))}, which has no nulls; when every key has the same
 * direction the marker condition is one row comparison {@code (k1, k2, ...) > (m1, m2, ...)}, the
 * form PostgreSQL turns into an index range; with mixed directions it is the expanded
 * lexicographic condition.
 */
final class PageQuery {
  private final ImageRows rows;
  private final CatalogQuery query;
  private final List<SortKey> sort;
  private final StringBuilder sql = new StringBuilder();
  private final List<Object> params = new ArrayList<>();

  private PageQuery(ImageRows rows, CatalogQuery query) {
    this.rows = rows;
    this.query = query;
    this.sort = query.effectiveSort();
  }

  /** The page of {@code query} after {@code marker} (the marker image, if any). */
  static List<Image> run(ImageRows rows, Connection c, CatalogQuery query, Optional<Image> marker)
      throws SQLException {
    if (query.limit() == 0) {
      return List.of();
    }
    PageQuery q = new PageQuery(rows, query);
    if (!q.build(marker)) {
      return List.of();
    }
    try (PreparedStatement s = c.prepareStatement(q.statement())) {
      q.bind(s, c);
      return ImageRows.select(s);
    }
  }

  /**
   * The statement of a page with its parameters inlined as literals, for {@code EXPLAIN} (tests
   * and the README); empty when the base set is empty.
   */
  static Optional<String> sqlOf(ImageRows rows, CatalogQuery query, Optional<Image> marker) {
    PageQuery q = new PageQuery(rows, query);
    if (!q.build(marker)) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    int p = 0;
    for (char ch : q.statement().toCharArray()) {
      if (ch == '?') {
        out.append(inline(q.params.get(p++)));
      } else {
        out.append(ch);
      }
    }
    return Optional.of(out.toString());
  }

  /**
   * The lines of {@code EXPLAIN (options)} of the very statement {@link #run} sends for {@code
   * query}, with the same parameters bound (tests and the README's plans); empty when the base set
   * is empty.
   */
  static List<String> explain(ImageRows rows, Connection c, CatalogQuery query,
      Optional<Image> marker, String options) throws SQLException {
    PageQuery q = new PageQuery(rows, query);
    if (query.limit() == 0 || !q.build(marker)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("EXPLAIN (" + options + ") " + q.statement())) {
      q.bind(s, c);
      try (java.sql.ResultSet r = s.executeQuery()) {
        while (r.next()) {
          lines.add(r.getString(1));
        }
      }
    }
    return lines;
  }

  private static String inline(Object p) {
    if (p instanceof String) {
      return literal((String) p);
    }
    if (p instanceof Instant) {
      return Long.toString(Instants.toNanosClamped((Instant) p));
    }
    if (p instanceof TagSet) {
      StringJoiner a = new StringJoiner(", ", "ARRAY[", "]::text[]");
      for (String t : ((TagSet) p).tags()) {
        a.add(literal(t));
      }
      return a.toString();
    }
    return String.valueOf(p);
  }

  /** The page's rows, each with its children ({@link ImageRows#withChildren}), in sort order. */
  private String statement() {
    return rows.withChildren(sql.toString(), orderBy("x"));
  }

  /** Builds the statement; false if the caller's base set is empty (nothing to ask). */
  private boolean build(Optional<Image> marker) {
    List<Source> sources = sources();
    if (sources.isEmpty()) {
      return false;
    }
    if (sources.size() == 1) {
      sql.append(select("i", sources.get(0), marker));
      return true;
    }
    // Each source is a parenthesised SELECT; their union is ordered and cut again.
    sql.append("SELECT * FROM (");
    StringJoiner union = new StringJoiner(" UNION ALL ");
    for (Source source : sources) {
      union.add("(" + select("i", source, marker) + ")");
    }
    sql.append(union).append(") u ORDER BY ").append(orderBy("u")).append(" LIMIT ")
        .append(query.limit());
    return true;
  }

  /**
   * One source of a page: the images of {@code image} (alias {@code $}) that meet {@code
   * condition}, or, when {@code byMember}, the member rows of {@code image_member} (alias {@code
   * d}) joined to their images, read in the order of the copies of the images' sort keys the
   * member rows carry ({@code image_created_at}, {@code image_id}: see {@link ImageRows#listed}).
   */
  private record Source(String condition, boolean byMember) {
    static Source ofImages(String condition) {
      return new Source(condition, false);
    }

    static Source ofMembers(String condition) {
      return new Source(condition, true);
    }
  }

  /** One source: its condition, the common filters, the marker, its order and limit. */
  private String select(String a, Source source, Optional<Image> marker) {
    Keys keys = source.byMember() ? Keys.member(a) : Keys.image(a);
    StringBuilder b = new StringBuilder("SELECT ").append(keys.columns()).append(" FROM ");
    if (source.byMember()) {
      b.append(rows.table("image_member")).append(" d JOIN ").append(rows.table("image"))
          .append(' ').append(a).append(" ON ").append(a).append(".id = d.image_id");
    } else {
      b.append(rows.table("image")).append(' ').append(a);
    }
    b.append(" WHERE ").append(a).append(".deleted_at IS NULL AND ").append(a)
        .append(".status <> 'killed'");
    if (!source.condition().isEmpty()) {
      String text = source.condition().replace("$", a);
      for (int at = text.indexOf(AT); at >= 0; at = text.indexOf(AT, at + 1)) {
        params.add(query.membershipsAt().orElseThrow());
      }
      b.append(" AND ").append(text.replace(AT, "?"));
    }
    filters(b, a);
    marker.ifPresent(m -> b.append(" AND ").append(after(keys, m)));
    b.append(" ORDER BY ").append(orderBy(keys)).append(" LIMIT ").append(query.limit());
    return b.toString();
  }

  /**
   * Where a source reads its sort keys: the image row's columns (alias {@code a}), or, for a
   * member source, {@code created_at} and {@code id} from the member row {@code d}'s copies, which
   * equal its image's (so the member index's order is the page's order, and a source's output is
   * sorted by the columns the union merges on).
   */
  private record Keys(String alias, boolean member) {
    static Keys image(String alias) {
      return new Keys(alias, false);
    }

    static Keys member(String alias) {
      return new Keys(alias, true);
    }

    /** The null-free sort expressions of one key. */
    List<String> expressions(ImageField field) {
      if (member && field == ImageField.CREATED_AT) {
        return List.of("d.image_created_at");
      }
      if (member && field == ImageField.ID) {
        return List.of("d.image_id");
      }
      return PageQuery.expressions(alias, field);
    }

    /** The selected columns, {@link ImageRows#COLUMNS} in order. */
    String columns() {
      if (!member) {
        return ImageRows.columns(alias);
      }
      StringJoiner out = new StringJoiner(", ");
      for (String c : ImageRows.COLUMNS.split(",")) {
        String column = c.trim();
        switch (column) {
          case "created_at":
            out.add("d.image_created_at AS created_at");
            break;
          case "id":
            out.add("d.image_id AS id");
            break;
          default:
            out.add(alias + "." + column);
        }
      }
      return out.toString();
    }
  }

  /**
   * The sources' conditions, with {@code $} for the table alias: disjoint, and together exactly
   * the base set narrowed by the visibility parameter. Parameters are added in order of use, so
   * each source's parameters are added when its text is built; the statement text repeats the
   * filters per source, and {@link #bind} repeats their parameters likewise.
   */
  private List<Source> sources() {
    List<Source> sources = new ArrayList<>();
    VisibilityFilter filter = query.visibility();
    Optional<ProjectId> project = query.project();
    if (query.seesAll()) {
      switch (filter) {
        case ALL:
          sources.add(Source.ofImages(""));
          break;
        case DEFAULT:
          sources.add(Source.ofImages(project.isPresent()
              ? "($.visibility <> 'community' OR $.owner = " + literal(project.get().value()) + ")"
              : "$.visibility <> 'community'"));
          break;
        default:
          sources.add(Source.ofImages(
              "$.visibility = '" + filter.only().orElseThrow().wireName() + "'"));
      }
      return sources;
    }
    Set<Visibility> covered = EnumSet.noneOf(Visibility.class);
    if (allows(filter, Visibility.PUBLIC)) {
      sources.add(Source.ofImages("$.visibility = 'public'"));
      covered.add(Visibility.PUBLIC);
    }
    if (filter == VisibilityFilter.ALL || filter == VisibilityFilter.COMMUNITY) {
      sources.add(Source.ofImages("$.visibility = 'community'"));
      covered.add(Visibility.COMMUNITY);
    }
    if (project.isPresent()) {
      String p = literal(project.get().value());
      StringJoiner owned = new StringJoiner(", ");
      for (Visibility v : Visibility.values()) {
        if (!covered.contains(v) && allows(filter, v)) {
          owned.add("'" + v.wireName() + "'");
        }
      }
      if (owned.length() > 0) {
        sources.add(Source.ofImages("$.owner = " + p + " AND $.visibility IN (" + owned + ")"));
      }
      if (allows(filter, Visibility.SHARED)) {
        String shared = "$.visibility = 'shared' AND $.owner IS DISTINCT FROM " + p;
        if (inCreationOrder()) {
          for (String byMember : membershipsInOrder(p)) {
            sources.add(Source.ofMembers(byMember + " AND " + shared));
          }
        } else {
          sources.add(Source.ofImages(shared + " AND (" + membership(p) + ")"));
        }
      }
    }
    return sources;
  }

  /**
   * Whether the page's order is the default one, {@code created_at} then {@code id} (both
   * ascending or both descending): the order of the member indexes ({@code image_member_listing},
   * {@code image_member_answer}), so the shared images a project is a member of can be read from
   * its member rows in order rather than by walking the shared images.
   */
  private boolean inCreationOrder() {
    return sort.size() == 2 && sort.get(0).field() == ImageField.CREATED_AT
        && sort.get(1).field() == ImageField.ID
        && sort.get(0).ascending() == sort.get(1).ascending();
  }

  /**
   * {@link #membership} as disjoint conditions on a driving member row {@code d} (and its image
   * {@code $}), each one range of a member index in list order, one per member status asked (the
   * wanted one, or each of them): the direct rows of {@code p} (a literal; {@code
   * image_member_listing}); under hierarchical sharing its answers to an offer of a group of the
   * lineage that is a member ({@code image_member_answer}) and, when the wanted status is the
   * unanswered one or any, the direct rows of each group of the lineage ({@code
   * image_member_listing}) of images that no earlier group of the lineage is a member of and
   * {@code p} is no member of by its own row. Their union is exactly the images {@link
   * #membership} accepts, each once (a project has one row per image).
   */
  private List<String> membershipsInOrder(String p) {
    String table = rows.table("image_member");
    Optional<MemberStatus> wanted = query.memberStatus();
    List<MemberStatus> statuses =
        wanted.map(List::of).orElse(List.of(MemberStatus.values()));
    boolean hierarchical = !query.lineage().isEmpty();
    StringJoiner lineage = new StringJoiner(", ", "(", ")");
    query.lineage().forEach(g -> lineage.add(literal(g.value())));
    List<String> out = new ArrayList<>();
    for (MemberStatus status : statuses) {
      out.add(range(p, status, true));
      if (hierarchical && wanted.isPresent()) {
        out.add(range(p, status, false) + " AND d.via IN " + lineage + " AND EXISTS (SELECT 1 FROM "
            + table + " v WHERE v.image_id = d.image_id AND v.project = d.via AND v.via IS NULL"
            + live("v") + ")");
      }
    }
    if (!hierarchical || wanted.isPresent() && wanted.get() != query.unansweredStatus()) {
      return out;
    }
    // An offer of a group counts where the project has no direct row (and, for a status, no
    // answer that counts): read once, from the first group of the lineage that is a member.
    String unanswered = "NOT EXISTS (SELECT 1 FROM " + table + " m WHERE m.image_id = $.id"
        + " AND m.project = " + p + " AND m.via IS NULL" + live("m") + ")";
    if (wanted.isPresent()) {
      unanswered += " AND NOT " + answer(table, p, lineage.toString(), "");
    }
    List<String> earlier = new ArrayList<>();
    for (ProjectId g : query.lineage()) {
      String group = literal(g.value());
      String first = earlier.isEmpty() ? "" : " AND NOT EXISTS (SELECT 1 FROM " + table
          + " e WHERE e.image_id = $.id AND e.project IN (" + String.join(", ", earlier) + ")"
          + " AND e.via IS NULL" + live("e") + ")";
      for (MemberStatus status : MemberStatus.values()) {
        out.add(range(group, status, true) + " AND " + unanswered + first);
      }
      earlier.add(group);
    }
    return out;
  }

  /**
   * The condition that driving member row {@code d} is one of {@code project}'s (a literal) of
   * {@code status} on a listed image, live, and {@code direct} ({@code via} NULL: a range of
   * {@code image_member_listing}) or an answer ({@code image_member_answer}).
   */
  private String range(String project, MemberStatus status, boolean direct) {
    return "d.project = " + project + " AND d.status = '" + status.wireName()
        + "' AND d.image_listed AND d.via IS " + (direct ? "NULL" : "NOT NULL") + live("d");
  }

  /**
   * The condition that the caller's project {@code p} (a literal) has a membership of {@code $} of
   * the wanted status: {@link dev.imagegov.model.Image#membershipOf} in SQL. A project has at most
   * one row per image (the primary key): a direct row ({@code via} NULL), or its answer to a
   * group's offer, which counts only while its group is in the lineage and a direct member; with
   * neither, a direct row of a group of the lineage makes it a member with the unanswered status.
   */
  private String membership(String p) {
    String table = rows.table("image_member");
    Optional<String> status = query.memberStatus().map(s -> "'" + s.wireName() + "'");
    String wanted = status.map(s -> " AND m.status = " + s).orElse("");
    String direct = "EXISTS (SELECT 1 FROM " + table + " m WHERE m.image_id = $.id AND m.project = "
        + p + " AND m.image_listed AND m.via IS NULL" + live("m") + wanted + ")";
    if (query.lineage().isEmpty()) {
      return direct;
    }
    StringJoiner lineage = new StringJoiner(", ", "(", ")");
    query.lineage().forEach(g -> lineage.add(literal(g.value())));
    String group = "EXISTS (SELECT 1 FROM " + table + " g WHERE g.image_id = $.id AND g.project IN "
        + lineage + " AND g.via IS NULL" + live("g") + ")";
    if (status.isEmpty()) {
      return direct + " OR " + group;
    }
    String result = direct + " OR " + answer(table, p, lineage.toString(), wanted);
    if (query.memberStatus().get() == query.unansweredStatus()) {
      String anyDirect = "EXISTS (SELECT 1 FROM " + table + " m WHERE m.image_id = $.id"
          + " AND m.project = " + p + " AND m.via IS NULL" + live("m") + ")";
      result += " OR (" + group + " AND NOT " + anyDirect + " AND NOT "
          + answer(table, p, lineage.toString(), "") + ")";
    }
    return result;
  }

  /**
   * The condition that {@code p} answered (with the status {@code wanted} asks) a group of {@code
   * lineage} that is a direct member, neither row expired.
   */
  private String answer(String table, String p, String lineage, String wanted) {
    return "EXISTS (SELECT 1 FROM " + table + " m WHERE m.image_id = $.id AND m.project = " + p
        + " AND m.via IN " + lineage + live("m") + wanted + " AND EXISTS (SELECT 1 FROM " + table
        + " v WHERE v.image_id = $.id AND v.project = m.via AND v.via IS NULL" + live("v") + "))";
  }

  /**
   * The condition that member row {@code alias} has not expired at the query's {@code
   * membershipsAt} (an expired membership counts as absent); none when the query judges no
   * instant.
   */
  private String live(String alias) {
    return query.membershipsAt().isPresent()
        ? " AND (" + alias + ".expires_at IS NULL OR " + alias + ".expires_at > " + AT + ")"
        : "";
  }

  /**
   * Where a source's text takes the query's {@code membershipsAt} instant: a parameter, bound
   * when the source's text is added to the statement (so the statement's text is the same at
   * every instant, and the server plans it once per connection rather than at every call); a
   * NUL, which no literal holds ({@link #literal} refuses it).
   */
  private static final String AT = "\u0000";

  /** Whether the visibility parameter keeps images of {@code v} (owned community aside). */
  private static boolean allows(VisibilityFilter filter, Visibility v) {
    switch (filter) {
      case ALL:
      case DEFAULT:
        return true;
      default:
        return filter.only().orElseThrow() == v;
    }
  }

  /**
   * A string literal for {@code text}: project ids are typed in the source conditions so that
   * each source's plan uses its index; quotes are doubled, and {@code standard_conforming_strings}
   * (on since PostgreSQL 9.1) keeps backslashes literal.
   */
  private static String literal(String text) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a project id cannot hold a NUL character");
    }
    return "'" + text.replace("'", "''") + "'";
  }

  private void filters(StringBuilder b, String a) {
    for (FieldFilter f : query.filters()) {
      String column = a + "." + column(f.field());
      b.append(" AND ");
      switch (f.operator()) {
        case IN: {
          StringJoiner in = new StringJoiner(", ", column + " IN (", ")");
          for (Object o : f.operands()) {
            in.add("?");
            params.add(o);
          }
          b.append(in);
          break;
        }
        default:
          b.append(column).append(' ').append(sqlOperator(f)).append(" ?");
          params.add(f.operands().get(0));
      }
    }
    for (Map.Entry<String, String> p : query.propertyFilters().entrySet()) {
      b.append(" AND EXISTS (SELECT 1 FROM ").append(rows.table("image_property"))
          .append(" p WHERE p.image_id = ").append(a).append(".id AND p.name = ? AND p.value = ?)");
      params.add(p.getKey());
      params.add(p.getValue());
    }
    if (!query.tags().isEmpty()) {
      b.append(" AND ").append(a).append(".tags @> ?");
      params.add(new TagSet(query.tags().toArray(new String[0])));
    }
  }

  /** The tags an image must carry, bound as a text array. */
  private record TagSet(String[] tags) {}

  private static String sqlOperator(FieldFilter f) {
    switch (f.operator()) {
      case EQ:
        return "=";
      case NEQ:
        return "<>";
      case GT:
        return ">";
      case GTE:
        return ">=";
      case LT:
        return "<";
      default:
        return "<=";
    }
  }

  /** The column of {@code field}: its name in lower case. */
  static String column(ImageField field) {
    return field.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the column of {@code field} may be NULL. */
  static boolean nullable(ImageField field) {
    switch (field) {
      case NAME:
      case OWNER:
      case DISK_FORMAT:
      case CONTAINER_FORMAT:
      case CHECKSUM:
      case OS_HASH_ALGO:
      case OS_HASH_VALUE:
      case SIZE:
      case VIRTUAL_SIZE:
        return true;
      default:
        return false;
    }
  }

  private static String zero(ImageField field) {
    return field.type() == String.class ? "''" : "0";
  }

  /** The null-free sort expressions of one key over the image alias {@code a}. */
  private static List<String> expressions(String a, ImageField field) {
    String c = a + "." + column(field);
    return nullable(field)
        ? List.of("(" + c + " IS NOT NULL)", "COALESCE(" + c + ", " + zero(field) + ")")
        : List.of(c);
  }

  private String orderBy(String a) {
    return orderBy(Keys.image(a));
  }

  private String orderBy(Keys keys) {
    StringJoiner order = new StringJoiner(", ");
    for (SortKey k : sort) {
      for (String e : keys.expressions(k.field())) {
        order.add(e + (k.ascending() ? " ASC" : " DESC"));
      }
    }
    return order.toString();
  }

  /** The condition "the row sorts strictly after {@code marker}" over a source's {@code keys}. */
  private String after(Keys keys, Image marker) {
    List<String> exprs = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    List<Boolean> ascending = new ArrayList<>();
    for (SortKey k : sort) {
      List<String> e = keys.expressions(k.field());
      Optional<Comparable<Object>> value = k.field().valueOf(marker);
      if (e.size() == 2) {
        values.add(value.isPresent());
        values.add(value.isPresent() ? (Object) value.get() : zeroValue(k.field()));
      } else {
        values.add(value.orElseThrow());
      }
      for (String x : e) {
        exprs.add(x);
        ascending.add(k.ascending());
      }
    }
    boolean uniform = ascending.stream().distinct().count() == 1;
    if (uniform) {
      StringJoiner left = new StringJoiner(", ", "(", ")");
      StringJoiner right = new StringJoiner(", ", "(", ")");
      for (int i = 0; i < exprs.size(); i++) {
        left.add(exprs.get(i));
        right.add("?");
        params.add(values.get(i));
      }
      return left + (ascending.get(0) ? " > " : " < ") + right;
    }
    // Mixed directions: e1 after m1, or e1 = m1 and e2 after m2, or ...
    StringJoiner any = new StringJoiner(" OR ", "(", ")");
    for (int i = 0; i < exprs.size(); i++) {
      StringJoiner all = new StringJoiner(" AND ", "(", ")");
      for (int j = 0; j < i; j++) {
        all.add(exprs.get(j) + " = ?");
        params.add(values.get(j));
      }
      all.add(exprs.get(i) + (ascending.get(i) ? " > ?" : " < ?"));
      params.add(values.get(i));
      any.add(all.toString());
    }
    return any.toString();
  }

  private static Object zeroValue(ImageField field) {
    return field.type() == String.class ? (Object) "" : (Object) 0L;
  }

  private void bind(PreparedStatement s, Connection c) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      int index = i + 1;
      if (p instanceof String) {
        s.setString(index, (String) p);
      } else if (p instanceof Long) {
        s.setLong(index, (Long) p);
      } else if (p instanceof Boolean) {
        s.setBoolean(index, (Boolean) p);
      } else if (p instanceof Instant) {
        s.setLong(index, Instants.toNanosClamped((Instant) p));
      } else if (p instanceof TagSet) {
        s.setArray(index, c.createArrayOf("text", ((TagSet) p).tags()));
      } else {
        throw new IllegalArgumentException("an operand of an unexpected type: " + p);
      }
    }
  }
}
