package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.common.collect.ImmutableListMultimap;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.FilterOperator;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Queries: {@link CatalogQuery}s for stores (who asks, visibility, member status, field, property
 * and tag filters, sorts, limits; markers are added by whoever knows the catalog's ids), valid
 * {@link ListRequest}s for the facade, and invalid ones labelled with the {@link ErrorCode} they
 * must be refused with. The values match what {@link Catalogs} and {@link Images} generate (the
 * same names, tags, properties, projects and time span), so filters keep some rows and drop others.
 */
public final class Queries {
  private static final List<ImageField> SORT_FIELDS =
      List.of(
          ImageField.NAME,
          ImageField.CREATED_AT,
          ImageField.STATUS,
          ImageField.SIZE,
          ImageField.ID,
          ImageField.UPDATED_AT,
          ImageField.DISK_FORMAT,
          ImageField.OWNER);

  private Queries() {}

  /**
   * Catalog queries asked as projects of {@link Catalogs#PROJECTS}, or as admins, or project-less.
   *
   * @return catalog queries asked as projects of {@link Catalogs#PROJECTS}, or as admins, or
   *     project-less
   */
  public static Gen<CatalogQuery> catalogQueries() {
    return catalogQueries(Catalogs.PROJECTS);
  }

  /**
   * {@return catalog queries asked as projects of {@code projects}}
   *
   * @param projects the projects the queries are asked as
   */
  public static Gen<CatalogQuery> catalogQueries(List<ProjectId> projects) {
    List<ProjectId> pool = List.copyOf(projects);
    return new Gen<CatalogQuery>() {
      @Override
      public CatalogQuery generate(RandomnessSource in) {
        return catalogQuery(pool, in);
      }

      @Override
      public String asString(CatalogQuery q) {
        return describe(q);
      }
    };
  }

  /**
   * Catalog queries of {@link #catalogQueries()} that also carry a lineage (hierarchical sharing):
   * up to three other projects of {@link Catalogs#PROJECTS} as the groups above the caller, in a
   * random order, and pending or accepted as the unanswered status; half of them without
   * filters, tags or property filters.
   *
   * @return catalog queries with lineages
   */
  public static Gen<CatalogQuery> lineageQueries() {
    List<ProjectId> pool = Catalogs.PROJECTS;
    return new Gen<CatalogQuery>() {
      @Override
      public CatalogQuery generate(RandomnessSource in) {
        CatalogQuery q = catalogQuery(pool, in);
        if (q.project().isEmpty()) {
          return q;
        }
        List<ProjectId> lineage = new ArrayList<>();
        for (int i = integers().between(0, 3).generate(in); i > 0; i--) {
          ProjectId group = Projects.from(pool).generate(in);
          if (!group.equals(q.project().get()) && !lineage.contains(group)) {
            lineage.add(group);
          }
        }
        MemberStatus unanswered =
            Generate.booleans().generate(in) ? MemberStatus.ACCEPTED : MemberStatus.PENDING;
        CatalogQuery.Builder b = q.toBuilder().lineage(lineage).unansweredStatus(unanswered);
        if (Generate.booleans().generate(in)) {
          // Half without filters, so that the group offers themselves decide what is listed.
          b.filters(List.of()).tags(Set.of()).propertyFilters(Map.of());
        }
        return b.build();
      }

      @Override
      public String asString(CatalogQuery q) {
        return describe(q);
      }
    };
  }

  private static CatalogQuery catalogQuery(List<ProjectId> pool, RandomnessSource in) {
    boolean seesAll = integers().between(0, 5).generate(in) == 5;
    Optional<ProjectId> project =
        integers().between(0, 5).generate(in) == 5
            ? Optional.empty()
            : Optional.of(Projects.from(pool).generate(in));
    int ms = integers().between(0, 3).generate(in);
    Optional<MemberStatus> memberStatus =
        ms == 0 ? Optional.empty() : Optional.of(MemberStatus.values()[ms - 1]);
    VisibilityFilter visibility = Generate.enumValues(VisibilityFilter.class).generate(in);
    List<FieldFilter> filters = lists().of(fieldFilters(pool)).ofSizeBetween(0, 2).generate(in);
    Map<String, String> properties = new LinkedHashMap<>();
    if (integers().between(0, 3).generate(in) == 3) {
      properties.put(
          Generate.pick(PropertyMaps.CUSTOM_KEYS.subList(0, 2)).generate(in),
          Generate.pick(PropertyMaps.VALUES.subList(0, 2)).generate(in));
    }
    Set<String> tags = new LinkedHashSet<>(lists().of(Tags.tag()).ofSizeBetween(0, 2).generate(in));
    List<SortKey> sort = new ArrayList<>();
    Set<ImageField> used = new LinkedHashSet<>();
    for (int i = integers().between(0, 3).generate(in); i > 0; i--) {
      ImageField field = Generate.pick(SORT_FIELDS).generate(in);
      boolean ascending = Generate.booleans().generate(in);
      if (used.add(field)) {
        sort.add(ascending ? SortKey.asc(field) : SortKey.desc(field));
      }
    }
    int limit = integers().between(0, 12).generate(in);
    return CatalogQuery.builder()
        .seesAll(seesAll)
        .project(project)
        .memberStatus(memberStatus)
        .visibility(visibility)
        .filters(filters)
        .propertyFilters(properties)
        .tags(tags)
        .sort(sort)
        .limit(limit)
        .build();
  }

  /**
   * {@return field filters on the attributes generated images vary in}
   *
   * @param pool the projects owner filters name
   */
  public static Gen<FieldFilter> fieldFilters(List<ProjectId> pool) {
    Gen<FieldFilter> name = Names.names().map(n -> FieldFilter.eq(ImageField.NAME, n));
    Gen<FieldFilter> names =
        Names.names()
            .zip(
                Names.names(),
                (a, b) -> FieldFilter.of(ImageField.NAME, FilterOperator.IN, List.of(a, b)));
    Gen<FieldFilter> status =
        Generate.pick(Images.LIVE_STATUSES)
            .map(s -> FieldFilter.eq(ImageField.STATUS, s.wireName()));
    Gen<FieldFilter> owner =
        Projects.from(pool).map(p -> FieldFilter.eq(ImageField.OWNER, p.value()));
    Gen<FieldFilter> size =
        longs()
            .between(0, 1000)
            .zip(
                Generate.pick(List.of(FilterOperator.GTE, FilterOperator.LTE, FilterOperator.NEQ)),
                (n, op) -> FieldFilter.of(ImageField.SIZE, op, List.of(n)));
    Gen<FieldFilter> created =
        longs()
            .between(0, 20)
            .zip(
                Generate.pick(List.of(FilterOperator.GT, FilterOperator.LT, FilterOperator.EQ)),
                (s, op) ->
                    FieldFilter.of(ImageField.CREATED_AT, op, List.of(Images.T0.plusSeconds(s))));
    Gen<FieldFilter> updated =
        longs()
            .between(0, 40)
            .zip(
                Generate.pick(
                    List.of(FilterOperator.GTE, FilterOperator.LTE, FilterOperator.EQ)),
                (s, op) ->
                    FieldFilter.of(ImageField.UPDATED_AT, op, List.of(Images.T0.plusSeconds(s))));
    Gen<FieldFilter> sizeBound =
        longs()
            .between(0, 1000)
            .zip(
                Generate.pick(List.of(FilterOperator.GT, FilterOperator.LT, FilterOperator.EQ)),
                (n, op) -> FieldFilter.of(ImageField.SIZE, op, List.of(n)));
    Gen<FieldFilter> hidden = Generate.booleans().map(b -> FieldFilter.eq(ImageField.OS_HIDDEN, b));
    Gen<FieldFilter> visibility =
        Generate.enumValues(Visibility.class)
            .map(v -> FieldFilter.eq(ImageField.VISIBILITY, v.wireName()));
    Gen<FieldFilter> notName =
        Names.names().map(n -> FieldFilter.of(ImageField.NAME, FilterOperator.NEQ, List.of(n)));
    Gen<String> ownerValues =
        Projects.from(pool).map(ProjectId::value).mix(Generate.constant("nobody"), 10);
    Gen<FieldFilter> owners =
        ownerValues.zip(
            ownerValues,
            (a, b) -> FieldFilter.of(ImageField.OWNER, FilterOperator.IN, List.of(a, b)));
    Gen<FieldFilter> notOwner =
        ownerValues.map(o -> FieldFilter.of(ImageField.OWNER, FilterOperator.NEQ, List.of(o)));
    Gen<FieldFilter> minDisk =
        longs()
            .between(0, 3)
            .map(n -> FieldFilter.of(ImageField.MIN_DISK, FilterOperator.GTE, List.of(n)));
    Gen<FieldFilter> isProtected =
        Generate.booleans().map(b -> FieldFilter.eq(ImageField.PROTECTED, b));
    return Generate.oneOf(
            name,
            names,
            status,
            owner,
            size,
            created,
            hidden,
            visibility,
            notName,
            owners,
            notOwner,
            minDisk,
            isProtected,
            updated,
            sizeBound)
        .describedAs(Queries::describe);
  }

  /**
   * {@return a readable description of a catalog query, leaving out what is at its default}
   *
   * @param q the query to describe
   */
  public static String describe(CatalogQuery q) {
    StringBuilder out = new StringBuilder("query{");
    out.append(q.seesAll() ? "admin " : "");
    out.append("as ").append(q.project().map(ProjectId::value).orElse("no project"));
    out.append(" member_status=")
        .append(q.memberStatus().map(MemberStatus::wireName).orElse("any"));
    if (!q.lineage().isEmpty()) {
      out.append(" lineage=").append(q.lineage())
          .append(" unanswered=").append(q.unansweredStatus().wireName());
    }
    out.append(" visibility=").append(q.visibility().name().toLowerCase(java.util.Locale.ROOT));
    q.filters().forEach(f -> out.append(' ').append(describe(f)));
    q.propertyFilters().forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
    if (!q.tags().isEmpty()) {
      out.append(" tags=").append(q.tags());
    }
    out.append(" sort=").append(q.effectiveSort());
    out.append(" limit=").append(q.limit());
    q.marker().ifPresent(m -> out.append(" marker=").append(Ids.shortName(m)));
    return out.append('}').toString();
  }

  /**
   * {@return the value of {@code name in [alpha, beta]}}
   *
   * @param f the filter to describe
   */
  public static String describe(FieldFilter f) {
    return f.field().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + f.operator().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + (f.operands().size() == 1 ? f.operands().get(0) : f.operands());
  }

  // ---- list requests for the facade ---------------------------------------------------------

  private static final List<Map.Entry<String, String>> VALID_PARAMS =
      List.of(
          Map.entry("limit", "5"),
          Map.entry("visibility", "all"),
          Map.entry("member_status", "all"),
          Map.entry("sort", "name:asc"),
          Map.entry("tag", "a"),
          Map.entry("name", "alpha"),
          Map.entry("visibility", "shared"),
          Map.entry("member_status", "pending"),
          Map.entry("sort", "size:desc,name"),
          Map.entry("name", "in:alpha,\"beta\""),
          Map.entry("os_hidden", "TRUE"),
          Map.entry("protected", "false"),
          Map.entry("size_min", "10"),
          Map.entry("min_ram_max", "2048"),
          Map.entry("created_at", "gt:2024-01-01T00:00:00Z"),
          Map.entry("status", "in:active,queued"),
          Map.entry("owner", "p1"),
          Map.entry("k0", "x"),
          Map.entry("limit", "0"),
          Map.entry("visibility", "community"),
          Map.entry("marker", "00000000-0000-0000-0000-000000000001"),
          Map.entry("deleted", "true"));

  /**
   * Valid list requests: 0 to 4 parameters Glance accepts (the same key may repeat). The facade
   * answers them with a page (or, for a marker naming no image, with a marker error, which the
   * parser alone does not check).
   *
   * @return valid list requests: 0 to 4 parameters Glance accepts (the same key may repeat)
   */
  public static Gen<ListRequest> listRequests() {
    return lists()
        .of(Generate.pick(VALID_PARAMS))
        .ofSizeBetween(0, 4)
        .map(Queries::request)
        .describedAs(r -> "?" + r.toQueryString());
  }

  private static ListRequest request(List<Map.Entry<String, String>> params) {
    ImmutableListMultimap.Builder<String, String> b = ImmutableListMultimap.builder();
    params.forEach(e -> b.put(e.getKey(), e.getValue()));
    return ListRequest.of(b.build());
  }

  private record Invalid(List<Map.Entry<String, String>> params, ErrorCode code, String reason) {}

  private static Invalid invalid(String key, String value, ErrorCode code, String reason) {
    return new Invalid(List.of(Map.entry(key, value)), code, reason);
  }

  private static final List<Invalid> INVALID =
      List.of(
          invalid("limit", "-1", RuleCode.INVALID_LIMIT, "limit must not be negative"),
          invalid("limit", "ten", RuleCode.INVALID_LIMIT, "limit must be an integer"),
          invalid("marker", "not-a-uuid", StoreErrorCode.INVALID_MARKER, "a marker is an image id"),
          invalid("sort", "colour", RuleCode.INVALID_SORT, "unknown sort key"),
          invalid("sort", "name:sideways", RuleCode.INVALID_SORT, "unknown sort direction"),
          invalid("sort_key", "owner", RuleCode.INVALID_SORT, "owner is not a sort key"),
          new Invalid(
              List.of(Map.entry("sort", "name"), Map.entry("sort_key", "size")),
              RuleCode.INVALID_SORT,
              "old and new sort syntax combined"),
          new Invalid(
              List.of(
                  Map.entry("sort_key", "name"),
                  Map.entry("sort_dir", "asc"),
                  Map.entry("sort_dir", "desc")),
              RuleCode.INVALID_SORT,
              "two sort directions for one key"),
          invalid("visibility", "everyone", RuleCode.INVALID_FILTER, "unknown visibility"),
          invalid("member_status", "maybe", RuleCode.INVALID_FILTER, "unknown member status"),
          invalid("os_hidden", "perhaps", RuleCode.INVALID_FILTER, "os_hidden is a boolean"),
          invalid("protected", "yes", RuleCode.INVALID_FILTER, "protected is exactly true|false"),
          invalid("size_min", "big", RuleCode.INVALID_FILTER, "a range bound is an integer"),
          invalid("colour_max", "3", RuleCode.INVALID_FILTER, "ranges exist on integer columns"),
          invalid("min_ram", "lots", RuleCode.INVALID_FILTER, "min_ram is an integer"),
          invalid("created_at", "gt:yesterday", RuleCode.INVALID_FILTER, "times are ISO 8601"),
          invalid("name", "like:gold", RuleCode.INVALID_FILTER, "unknown filter operator"),
          invalid("name", "in:\"alpha\"beta", RuleCode.INVALID_FILTER, "no comma after a quote"),
          invalid(
              "changes-since",
              "2024-01-01T00:00:00Z",
              RuleCode.INVALID_FILTER,
              "changes-since is gone from v2"),
          invalid("properties", "x", RuleCode.INVALID_FILTER, "properties is not filterable"));

  /**
   * Invalid list requests, each breaking exactly one rule and labelled with the code it must
   * produce, optionally mixed with valid parameters of other keys. Shrinks towards a bare negative
   * limit.
   *
   * @return invalid list requests, each breaking exactly one rule and labelled with the code it
   *     must produce, optionally mixed with valid parameters of other keys
   */
  public static Gen<InvalidListRequest> invalidListRequests() {
    return Generate.pick(INVALID)
        .zip(
            lists().of(Generate.pick(VALID_PARAMS)).ofSizeBetween(0, 2),
            Generate.booleans(),
            (invalid, extras, extrasFirst) -> {
              Set<String> keys = new LinkedHashSet<>();
              invalid.params().forEach(e -> keys.add(e.getKey()));
              boolean sorting = keys.contains("sort") || keys.contains("sort_key");
              List<Map.Entry<String, String>> params = new ArrayList<>();
              List<Map.Entry<String, String>> kept = new ArrayList<>();
              for (Map.Entry<String, String> e : extras) {
                if (!keys.contains(e.getKey()) && !(sorting && e.getKey().equals("sort"))) {
                  kept.add(e);
                }
              }
              if (extrasFirst) {
                params.addAll(kept);
              }
              params.addAll(invalid.params());
              if (!extrasFirst) {
                params.addAll(kept);
              }
              return new InvalidListRequest(request(params), invalid.code(), invalid.reason());
            })
        .describedAs(InvalidListRequest::toString);
  }
}
