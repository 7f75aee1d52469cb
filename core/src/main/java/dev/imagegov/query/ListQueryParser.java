package dev.imagegov.query;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.FilterOperator;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Turns the parameters of an image list into a {@link CatalogQuery}, with Glance's rules and
 * Glance's 400 answers ({@code glance/api/v2/images.py} {@code RequestDeserializer.index},
 * {@code ImagesController.index}, {@code glance/db/sqlalchemy/api.py}
 * {@code _make_conditions_from_filters}). Thread-safe and stateless beyond its two limits.
 *
 * <p>{@link #parse(ListRequest, Caller, boolean, Predicate)} returns the query bound to its
 * caller in one step: whether it sees every image, its project, and the marker resolved. This class
 * alone decides the default and maximum {@code limit}, the total sort order (the requested keys,
 * then Glance's {@code created_at} and {@code id} tie-breaks) and what a marker may be. A marker
 * the caller may not see is answered exactly like an unknown one: 400 {@link
 * StoreErrorCode#INVALID_MARKER} "No image found with ID x" (Glance answers 403 "not visible",
 * which tells a caller that another project's private image exists; a deliberate difference).
 *
 * <p>Parameters:
 *
 * <ul>
 *   <li>{@code limit}: an integer as Python's {@code int()} reads it, at least 0, else {@link
 *       RuleCode#INVALID_LIMIT}; absent means the default; capped silently at the maximum.
 *   <li>{@code marker}: an image id, else {@link StoreErrorCode#INVALID_MARKER} ("No image found
 *       with ID x", as Glance answers for an id it cannot find).
 *   <li>{@code member_status}: {@code pending|accepted|rejected|all} (default {@code accepted};
 *       {@code all} means any), {@code visibility}: {@code community|public|private|shared|all}
 *       (absent: {@link VisibilityFilter#DEFAULT}), {@code os_hidden} ({@code true|false} in
 *       any case, default {@code false}: always a filter), {@code protected} (exactly {@code
 *       true|false}), {@code tag} (repeatable, stripped, all required); {@code changes-since}
 *       is refused; {@code deleted} is ignored.
 *   <li>{@code name}, {@code id}, {@code status}, {@code container_format}, {@code disk_format}:
 *       {@code [eq:]value} or {@code in:a,"b,c"}; {@code created_at}, {@code updated_at}:
 *       {@code [gt|gte|lt|lte|eq|neq:]timestamp}. The operator is what precedes the first colon
 *       unless the whole value is an ISO 8601 timestamp, so {@code name=foo:bar} is refused and
 *       {@code name=eq:foo:bar} matches "foo:bar".
 *   <li>{@code size_min}, {@code size_max}, {@code virtual_size_min}, {@code virtual_size_max},
 *       {@code min_disk_min}, {@code min_disk_max}, {@code min_ram_min}, {@code min_ram_max}:
 *       inclusive integer bounds. Any other {@code *_min}/{@code *_max} is refused (Glance
 *       answers 500 there).
 *   <li>{@code owner}, {@code checksum}, {@code os_hash_algo}, {@code os_hash_value}, {@code
 *       size}, {@code virtual_size}, {@code min_disk}, {@code min_ram}: equality (integers for
 *       the last four, else refused); {@code deleted_at} matches nothing (listed images are not
 *       deleted); {@code locations}, {@code members}, {@code properties} are refused (Glance
 *       answers 500); every other name is a custom property that must have exactly that value.
 *   <li>Sorting: {@code sort=key[:dir],...} (default {@code desc}) or repeated {@code
 *       sort_key}/{@code sort_dir} (no dir: all {@code desc}; one dir: applied to every key;
 *       else one per key), never both; keys {@code name, status, container_format,
 *       disk_format, size, id, created_at, updated_at}. A key named again is dropped (it cannot
 *       change an order its first mention already fixed, so the rows are Glance's). The query's
 *       sort is always total: {@code created_at} and {@code id} are appended where absent, in
 *       the first key's direction, or in {@code desc} where Glance breaks ties so (several
 *       directions given); no request means {@code created_at desc, id desc}.
 * </ul>
 *
 * <p>Repeated keys behave as Glance's WebOb multidict makes them behave: {@code limit}, {@code
 * marker}, {@code member_status}, {@code sort} and {@code visibility} take their first value and
 * every further value is treated as an ordinary filter of that name (so a second {@code limit}
 * is a custom-property filter, and a second {@code visibility} an equality on the visibility);
 * {@code visibility} is validated on its last value, {@code os_hidden} and {@code protected}
 * take their last value; {@code checksum} and {@code os_hash_value} require their first and
 * last values; every other filter takes its last value.
 *
 * <p>Every bad input is a {@link GovernanceException} of kind 400; nothing else escapes.
 */
public final class ListQueryParser {
  /** The sort keys Glance allows, in its order. */
  static final ImmutableList<String> SORT_KEYS =
      ImmutableList.of(
          "name", "status", "container_format", "disk_format", "size", "id", "created_at",
          "updated_at");

  private static final ImmutableMap<String, ImageField> SORT_FIELDS =
      ImmutableMap.<String, ImageField>builder()
          .put("name", ImageField.NAME)
          .put("status", ImageField.STATUS)
          .put("container_format", ImageField.CONTAINER_FORMAT)
          .put("disk_format", ImageField.DISK_FORMAT)
          .put("size", ImageField.SIZE)
          .put("id", ImageField.ID)
          .put("created_at", ImageField.CREATED_AT)
          .put("updated_at", ImageField.UPDATED_AT)
          .build();

  /** Attributes filtered with {@code eq} and {@code in} operators. */
  private static final ImmutableMap<String, ImageField> OPERATOR_FIELDS =
      ImmutableMap.of(
          "name", ImageField.NAME,
          "id", ImageField.ID,
          "status", ImageField.STATUS,
          "container_format", ImageField.CONTAINER_FORMAT,
          "disk_format", ImageField.DISK_FORMAT);

  private static final ImmutableMap<String, ImageField> TIME_FIELDS =
      ImmutableMap.of("created_at", ImageField.CREATED_AT, "updated_at", ImageField.UPDATED_AT);

  /** Integer columns: ranges with {@code _min}/{@code _max}, equality otherwise. */
  private static final ImmutableMap<String, ImageField> INTEGER_FIELDS =
      ImmutableMap.of(
          "size", ImageField.SIZE,
          "virtual_size", ImageField.VIRTUAL_SIZE,
          "min_disk", ImageField.MIN_DISK,
          "min_ram", ImageField.MIN_RAM);

  /** Other string columns compared by plain equality. */
  private static final ImmutableMap<String, ImageField> STRING_FIELDS =
      ImmutableMap.of(
          "owner", ImageField.OWNER,
          "checksum", ImageField.CHECKSUM,
          "os_hash_algo", ImageField.OS_HASH_ALGO,
          "os_hash_value", ImageField.OS_HASH_VALUE,
          "visibility", ImageField.VISIBILITY);

  /** Relations of Glance's image row: filtering on them is a server error in Glance. */
  private static final ImmutableSet<String> RELATIONS =
      ImmutableSet.of("locations", "members", "properties", "tags");

  private static final ImmutableMap<String, FilterOperator> TIME_OPERATORS =
      ImmutableMap.of(
          "gt", FilterOperator.GT,
          "gte", FilterOperator.GTE,
          "lt", FilterOperator.LT,
          "lte", FilterOperator.LTE,
          "eq", FilterOperator.EQ,
          "neq", FilterOperator.NEQ);

  private static final ImmutableSet<String> VISIBILITY_VALUES =
      ImmutableSet.of("community", "public", "private", "shared", "all");

  private static final ImmutableSet<String> MEMBER_STATUS_VALUES =
      ImmutableSet.of("pending", "accepted", "rejected", "all");

  /** A filter no listed image satisfies: image ids are never empty. */
  static final FieldFilter MATCH_NOTHING = FieldFilter.eq(ImageField.ID, "");

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final int limitParamDefault;
  private final int apiLimitMax;

  /**
   * A parser with Glance's {@code limit_param_default} and {@code api_limit_max}.
   *
   * @param limitParamDefault the page size when the request names none
   * @param apiLimitMax the largest page a caller may ask for
   * @throws IllegalArgumentException if either is below 1
   */
  public ListQueryParser(int limitParamDefault, int apiLimitMax) {
    if (limitParamDefault < 1) {
      throw new IllegalArgumentException("limitParamDefault must be at least 1");
    }
    if (apiLimitMax < 1) {
      throw new IllegalArgumentException("apiLimitMax must be at least 1");
    }
    this.limitParamDefault = limitParamDefault;
    this.apiLimitMax = apiLimitMax;
  }

  /** {@return a parser with Glance's defaults: 25 rows unless asked, at most 1000} */
  public static ListQueryParser glanceDefaults() {
    return new ListQueryParser(25, 1000);
  }

  /**
   * The query {@code caller} asks for with {@code request}, bound to the caller: {@code seesAll}
   * set, the caller's project, and a marker that names an image the caller may see.
   *
   * @param seesAll whether the caller sees every image (Glance's {@code context_is_admin})
   * @param visibleToCaller whether an id names a live image the caller may see
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @return the query {@code caller} asks for with {@code request}, bound to the caller: {@code
   *     seesAll} set, the caller's project, and a marker that names an image the caller may see
   * @throws GovernanceException as {@link #parse(ListRequest)}; and {@link
   *     StoreErrorCode#INVALID_MARKER} "No image found with ID x" for a marker that is unknown,
   *     deleted or invisible to the caller alike
   */
  public CatalogQuery parse(
      ListRequest request, Caller caller, boolean seesAll, Predicate<ImageId> visibleToCaller) {
    return parse(request, caller, seesAll, visibleToCaller, UnaryOperator.identity());
  }

  /**
   * {@link #parse(ListRequest, Caller, boolean, Predicate)}, with {@code binding} giving the
   * query what else the caller's answer depends on (the tenancy's lineage and the instant that
   * judges memberships) before it is built: the query is built, and validated, once.
   *
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @param caller who asks
   * @param seesAll whether the caller sees every image (Glance's {@code context_is_admin})
   * @param visibleToCaller whether an id names a live image the caller may see
   * @param binding completes the builder, which has its filters, {@code seesAll} and project
   * @return the caller-bound query
   * @throws GovernanceException as {@link #parse(ListRequest, Caller, boolean, Predicate)}
   */
  public CatalogQuery parse(ListRequest request, Caller caller, boolean seesAll,
      Predicate<ImageId> visibleToCaller, UnaryOperator<CatalogQuery.Builder> binding) {
    CatalogQuery query =
        binding.apply(unbound(request).seesAll(seesAll).project(caller.project())).build();
    if (query.marker().isPresent() && !visibleToCaller.test(query.marker().get())) {
      throw unknownMarker(query.marker().get().value());
    }
    return query;
  }

  private static GovernanceException unknownMarker(String marker) {
    return GovernanceException.of(
        StoreErrorCode.INVALID_MARKER, "No image found with ID " + marker);
  }

  /**
   * The query {@code request} asks for, without caller: {@code seesAll} false, no project, the
   * marker checked for form only (benchmarks and tests use it; the facade uses {@link
   * #parse(ListRequest, Caller, boolean, Predicate)}).
   *
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @return the query {@code request} asks for, without caller: {@code seesAll} false, no project,
   *     the marker checked for form only (benchmarks and tests use it; the facade uses {@link
   *     #parse(ListRequest, Caller, boolean, Predicate)})
   * @throws GovernanceException of kind 400 ({@link RuleCode#INVALID_LIMIT}, {@link
   *     StoreErrorCode#INVALID_MARKER}, {@link RuleCode#INVALID_FILTER}, {@link
   *     RuleCode#INVALID_SORT}) for any bad parameter, with Glance's message
   */
  public CatalogQuery parse(ListRequest request) {
    return unbound(request).build();
  }

  /** The query {@code request} asks for, validated, still to be given its caller and built. */
  private CatalogQuery.Builder unbound(ListRequest request) {
    Params params = new Params(request);

    // RequestDeserializer.index: parameters taken out before the rest become filters.
    @Nullable String limitText = params.popFirst("limit");
    @Nullable String markerText = params.popFirst("marker");
    @Nullable String memberStatusText = params.popFirst("member_status");
    String memberStatus = memberStatusText == null ? "accepted" : memberStatusText;
    List<String> tagParams = new ArrayList<>();
    for (String tag : params.popAll("tag")) {
      tagParams.add(GlanceText.strip(tag));
    }

    @Nullable String lastVisibility = params.last("visibility");
    if (lastVisibility != null
        && !lastVisibility.isEmpty()
        && !VISIBILITY_VALUES.contains(lastVisibility)) {
      throw invalidFilter("Invalid visibility value: " + lastVisibility);
    }
    if (params.contains("changes-since")) {
      throw invalidFilter("The \"changes-since\" filter is no longer available on v2.");
    }
    if (!MEMBER_STATUS_VALUES.contains(memberStatus)) {
      throw invalidFilter("Invalid status: " + memberStatus);
    }
    int limit = limitText == null ? limitParamDefault : validateLimit(limitText);
    limit = Math.min(apiLimitMax, limit);
    List<SortKey> sort = sorting(params);

    // ImagesController.index: booleans, and deleted images are never listed.
    List<FieldFilter> filters = new ArrayList<>();
    @Nullable String osHiddenText = params.last("os_hidden");
    String osHidden = osHiddenText == null ? "false" : osHiddenText.toLowerCase(Locale.ROOT);
    if (!osHidden.equals("true") && !osHidden.equals("false")) {
      throw invalidFilter(
          "Invalid value '"
              + osHidden
              + "' for 'os_hidden' filter. Valid values are 'true' or 'false'.");
    }
    params.remove("os_hidden");
    filters.add(FieldFilter.eq(ImageField.OS_HIDDEN, osHidden.equals("true")));
    @Nullable String protectedText = params.last("protected");
    if (protectedText != null) {
      if (!protectedText.equals("true") && !protectedText.equals("false")) {
        throw invalidFilter(
            "Invalid value '"
                + protectedText
                + "' for 'protected' filter. Valid values are 'true' or 'false'.");
      }
      params.remove("protected");
      filters.add(FieldFilter.eq(ImageField.PROTECTED, protectedText.equals("true")));
    }
    params.remove("deleted");

    // _image_get_all and _make_conditions_from_filters.
    @Nullable String visibilityText = params.popFirst("visibility");
    VisibilityFilter visibility = VisibilityFilter.DEFAULT;
    if (visibilityText != null) {
      Optional<Visibility> only = Visibility.fromWireName(visibilityText);
      if (visibilityText.equals("all")) {
        visibility = VisibilityFilter.ALL;
      } else if (only.isPresent()) {
        visibility = VisibilityFilter.of(only.get());
      } else {
        // Glance filters on the raw value, which no image has.
        visibility = VisibilityFilter.ALL;
        filters.add(FieldFilter.eq(ImageField.VISIBILITY, visibilityText));
      }
    }
    for (String column : List.of("checksum", "os_hash_value")) {
      @Nullable String first = params.popFirst(column);
      if (first != null) {
        filters.add(FieldFilter.eq(STRING_FIELDS.get(column), first));
      }
    }
    if (params.contains("properties")) {
      throw unfilterable("properties");
    }
    Set<String> tags = new LinkedHashSet<>();
    if (!tagParams.isEmpty()) {
      params.remove("tags");
      tags.addAll(tagParams);
    } else {
      @Nullable String tagsText = params.popFirst("tags");
      if (tagsText != null) {
        // Glance iterates the string: every character is a required tag.
        tagsText.codePoints().forEach(cp -> tags.add(new String(Character.toChars(cp))));
      }
    }

    Map<String, String> rest = params.lastValues();
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> plain = new ArrayList<>();
    for (Map.Entry<String, String> e : rest.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (key.endsWith("_min") || key.endsWith("_max")) {
        filters.add(range(key, value));
      } else if (TIME_FIELDS.containsKey(key)) {
        filters.add(timeFilter(key, value));
      } else if (OPERATOR_FIELDS.containsKey(key)) {
        filters.add(operatorFilter(OPERATOR_FIELDS.get(key), value));
      } else {
        plain.add(key);
      }
    }
    for (String key : plain) {
      String value = rest.get(key);
      if (STRING_FIELDS.containsKey(key)) {
        filters.add(FieldFilter.eq(STRING_FIELDS.get(key), value));
      } else if (INTEGER_FIELDS.containsKey(key)) {
        filters.add(integerEquality(key, value));
      } else if (key.equals("deleted_at")) {
        filters.add(MATCH_NOTHING);
      } else if (RELATIONS.contains(key)) {
        throw unfilterable(key);
      } else {
        properties.put(key, value);
      }
    }

    Optional<ImageId> marker = Optional.empty();
    if (markerText != null) {
      if (!ImageId.isValid(markerText)) {
        throw unknownMarker(markerText);
      }
      marker = Optional.of(ImageId.of(markerText));
    }

    return CatalogQuery.builder()
        .memberStatus(
            memberStatus.equals("all")
                ? Optional.empty()
                : MemberStatus.fromWireName(memberStatus))
        .visibility(visibility)
        .filters(filters)
        .propertyFilters(properties)
        .tags(tags)
        .sort(sort)
        .limit(limit)
        .marker(marker);
  }

  private static int validateLimit(String text) {
    Optional<BigInteger> value = GlanceText.parseInt(text);
    if (value.isEmpty()) {
      throw GovernanceException.of(RuleCode.INVALID_LIMIT, "limit param must be an integer");
    }
    if (value.get().signum() < 0) {
      throw GovernanceException.of(RuleCode.INVALID_LIMIT, "limit param must be positive");
    }
    return value.get().min(BigInteger.valueOf(Integer.MAX_VALUE)).intValueExact();
  }

  /** Glance's default order, {@code created_at desc, id desc}. */
  private static final List<SortKey> DEFAULT_SORT =
      List.of(SortKey.desc(ImageField.CREATED_AT), SortKey.desc(ImageField.ID));

  /**
   * The total order of the list: the requested keys (Glance's {@code sort} or {@code
   * sort_key}/{@code sort_dir} syntax), then {@code created_at} and {@code id} where absent.
   * With one direction (or none) the tie-breaks follow it; with a direction per key Glance
   * breaks ties in {@code desc}, so those keys are appended in {@code desc} unless listed.
   */
  private static List<SortKey> sorting(Params params) {
    List<String> keys = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    boolean requested = false;
    @Nullable String sortText = params.popFirst("sort");
    if (sortText != null) {
      if (params.contains("sort_key") || params.contains("sort_dir")) {
        throw GovernanceException.of(
            RuleCode.INVALID_SORT, "Old and new sorting syntax cannot be combined");
      }
      requested = true;
      for (String part : GlanceText.strip(sortText).split(",", -1)) {
        int colon = part.indexOf(':');
        String key = colon < 0 ? part : part.substring(0, colon);
        String dir = colon < 0 ? "" : part.substring(colon + 1);
        if (dir.isEmpty()) {
          dir = "desc";
        }
        keys.add(validateSortKey(GlanceText.strip(key)));
        dirs.add(validateSortDir(GlanceText.strip(dir)));
      }
    } else {
      for (String key : params.popAll("sort_key")) {
        requested = true;
        keys.add(validateSortKey(GlanceText.strip(key)));
      }
      for (String dir : params.popAll("sort_dir")) {
        requested = true;
        dirs.add(validateSortDir(GlanceText.strip(dir)));
      }
      if (dirs.size() > 1 && dirs.size() != keys.size()) {
        throw GovernanceException.of(
            RuleCode.INVALID_SORT, "Number of sort dirs does not match the number of sort keys");
      }
    }
    if (!requested) {
      return DEFAULT_SORT;
    }
    if (keys.isEmpty()) {
      keys.add("created_at");
    }
    if (dirs.isEmpty()) {
      dirs.add("desc");
    }
    String tieBreakDir = "desc";
    if (dirs.size() == 1) {
      tieBreakDir = dirs.get(0);
      while (dirs.size() < keys.size()) {
        dirs.add(tieBreakDir);
      }
    }
    Map<ImageField, Boolean> ordered = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      ordered.putIfAbsent(SORT_FIELDS.get(keys.get(i)), dirs.get(i).equals("asc"));
    }
    boolean firstAscending = ordered.values().iterator().next();
    boolean tieBreakAscending = tieBreakDir.equals("asc");
    if (tieBreakAscending != firstAscending) {
      ordered.putIfAbsent(ImageField.CREATED_AT, tieBreakAscending);
      ordered.putIfAbsent(ImageField.ID, tieBreakAscending);
    }
    // The total order: whatever the request left out of created_at and id follows its first key.
    ordered.putIfAbsent(ImageField.CREATED_AT, firstAscending);
    ordered.putIfAbsent(ImageField.ID, firstAscending);
    List<SortKey> sort = new ArrayList<>();
    ordered.forEach(
        (field, ascending) -> sort.add(ascending ? SortKey.asc(field) : SortKey.desc(field)));
    return sort;
  }

  private static String validateSortKey(String key) {
    if (!SORT_KEYS.contains(key)) {
      throw GovernanceException.of(
          RuleCode.INVALID_SORT,
          "Invalid sort key: "
              + key
              + ". It must be one of the following: "
              + String.join(", ", SORT_KEYS)
              + ".");
    }
    return key;
  }

  private static String validateSortDir(String dir) {
    if (!dir.equals("asc") && !dir.equals("desc")) {
      throw GovernanceException.of(RuleCode.INVALID_SORT, "Invalid sort direction: " + dir);
    }
    return dir;
  }

  private static FieldFilter range(String key, String value) {
    Optional<BigInteger> bound = GlanceText.parseInt(value);
    if (bound.isEmpty()) {
      throw invalidFilter("Unable to filter on a range with a non-numeric value.");
    }
    String column = key.substring(0, key.length() - 4);
    ImageField field = INTEGER_FIELDS.get(column);
    if (field == null) {
      throw invalidFilter(
          "Unable to filter on a range over '" + column + "': it is not an integer attribute.");
    }
    BigInteger v = bound.get();
    if (key.endsWith("_min")) {
      if (v.compareTo(LONG_MAX) > 0) {
        return MATCH_NOTHING;
      }
      return FieldFilter.of(field, FilterOperator.GTE, List.of(v.max(LONG_MIN).longValueExact()));
    }
    if (v.compareTo(LONG_MIN) < 0) {
      return MATCH_NOTHING;
    }
    return FieldFilter.of(field, FilterOperator.LTE, List.of(v.min(LONG_MAX).longValueExact()));
  }

  private static FieldFilter integerEquality(String key, String value) {
    Optional<BigInteger> number = GlanceText.parseInt(value);
    if (number.isEmpty()) {
      throw invalidFilter(
          "Unable to filter on '" + key + "' with a non-numeric value: " + value);
    }
    BigInteger v = number.get();
    if (v.compareTo(LONG_MIN) < 0 || v.compareTo(LONG_MAX) > 0) {
      return MATCH_NOTHING;
    }
    return FieldFilter.eq(INTEGER_FIELDS.get(key), v.longValueExact());
  }

  private static FieldFilter timeFilter(String key, String value) {
    String[] split = splitOperator(value);
    Optional<Instant> threshold = GlanceText.parseTimestamp(split[1]);
    if (threshold.isEmpty()) {
      throw invalidFilter(
          "Bad \"" + key + "\" query filter format. Use ISO 8601 DateTime notation.");
    }
    FilterOperator operator = TIME_OPERATORS.get(split[0]);
    if (operator == null) {
      throw invalidFilter("Unable to filter on a unknown operator.");
    }
    return FieldFilter.of(TIME_FIELDS.get(key), operator, List.of(threshold.get()));
  }

  private static FieldFilter operatorFilter(ImageField field, String value) {
    String[] split = splitOperator(value);
    if (split[0].equals("in")) {
      List<String> items = splitInValues(split[1]);
      return items.isEmpty() ? MATCH_NOTHING : FieldFilter.of(field, FilterOperator.IN, items);
    }
    if (split[0].equals("eq")) {
      return FieldFilter.eq(field, split[1]);
    }
    throw invalidFilter("Unable to filter by unknown operator '" + split[0] + "'.");
  }

  /**
   * Glance's {@code split_filter_op}: {operator, operand}, split at the first colon unless the
   * whole value is an ISO 8601 timestamp; {@code eq} when there is no operator.
   */
  static String[] splitOperator(String expression) {
    int colon = expression.indexOf(':');
    if (colon < 0 || GlanceText.parseTimestamp(expression).isPresent()) {
      return new String[] {"eq", expression};
    }
    return new String[] {expression.substring(0, colon), expression.substring(colon + 1)};
  }

  /**
   * Glance's {@code split_filter_value_for_quotes}: the items of an {@code in:} list. Items are
   * separated by commas; an item wrapped in double quotes may hold commas; a backslash-escaped
   * quote is kept verbatim, backslash included.
   *
   * @throws GovernanceException {@link RuleCode#INVALID_FILTER} when a quote is not preceded by
   *     the start or a comma, a closing quote is not followed by the end or a comma, or a quote
   *     is not closed
   */
  static List<String> splitInValues(String value) {
    validateQuotes(value);
    List<String> items = new ArrayList<>();
    int n = value.length();
    int i = 0;
    while (i < n) {
      if (value.charAt(i) == '"') {
        int close = closingQuote(value, i + 1);
        if (close >= 0) {
          items.add(value.substring(i + 1, close));
          i = close + 1;
          if (i < n && value.charAt(i) == ',') {
            i++;
          }
          continue;
        }
      }
      if (value.charAt(i) == ',') {
        items.add("");
        i++;
        continue;
      }
      int comma = value.indexOf(',', i);
      int end = comma < 0 ? n : comma;
      items.add(value.substring(i, end));
      i = comma < 0 ? n : comma + 1;
    }
    return items;
  }

  /**
   * The index of the quote closing a quoted item whose text starts at {@code from}, or -1: a
   * backslash escapes the next character (not a newline), any other quote closes.
   */
  private static int closingQuote(String value, int from) {
    int j = from;
    while (j < value.length()) {
      char c = value.charAt(j);
      if (c == '"') {
        return j;
      }
      if (c == '\\') {
        if (j + 1 >= value.length() || value.charAt(j + 1) == '\n') {
          return -1;
        }
        j += 2;
      } else {
        j++;
      }
    }
    return -1;
  }

  private static void validateQuotes(String value) {
    boolean opening = true;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) != '"') {
        continue;
      }
      if (i > 0 && value.charAt(i - 1) == '\\') {
        continue;
      }
      if (opening) {
        if (i > 0 && value.charAt(i - 1) != ',') {
          throw invalidFilter(
              "Invalid filter value "
                  + value
                  + ". There is no comma before opening quotation mark.");
        }
      } else if (i + 1 != value.length() && value.charAt(i + 1) != ',') {
        throw invalidFilter(
            "Invalid filter value " + value + ". There is no comma after closing quotation mark.");
      }
      opening = !opening;
    }
    if (!opening) {
      throw invalidFilter("Invalid filter value " + value + ". The quote is not closed.");
    }
  }

  private static GovernanceException invalidFilter(String message) {
    return GovernanceException.of(RuleCode.INVALID_FILTER, message);
  }

  private static GovernanceException unfilterable(String key) {
    return invalidFilter("Unable to filter by '" + key + "': it is not a filterable attribute.");
  }

  /**
   * The parameters as Glance's WebOb multidict treats them: popping takes the first value of a
   * key, reading takes the last, and what is left becomes a dict holding each key's last value
   * in order of first appearance.
   */
  private static final class Params {
    private final LinkedHashMap<String, List<String>> values = new LinkedHashMap<>();

    Params(ListRequest request) {
      request.params().asMap().forEach((k, v) -> values.put(k, new ArrayList<>(v)));
    }

    @Nullable String popFirst(String key) {
      List<String> list = values.get(key);
      if (list == null) {
        return null;
      }
      String first = list.remove(0);
      if (list.isEmpty()) {
        values.remove(key);
      }
      return first;
    }

    List<String> popAll(String key) {
      List<String> list = values.remove(key);
      return list == null ? List.of() : list;
    }

    @Nullable String last(String key) {
      List<String> list = values.get(key);
      return list == null ? null : list.get(list.size() - 1);
    }

    boolean contains(String key) {
      return values.containsKey(key);
    }

    void remove(String key) {
      values.remove(key);
    }

    Map<String, String> lastValues() {
      Map<String, String> last = new LinkedHashMap<>();
      values.forEach((k, v) -> last.put(k, v.get(v.size() - 1)));
      return last;
    }
  }
}
