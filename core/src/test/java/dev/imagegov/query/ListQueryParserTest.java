package dev.imagegov.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.FilterOperator;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListQueryParserTest {
  private static final String ID = "8a9b7c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d";
  private final ListQueryParser parser = ListQueryParser.glanceDefaults();

  private CatalogQuery parse(String query) {
    return parser.parse(ListRequest.parse(query));
  }

  private void assertRejected(String query, ErrorCode code, String message) {
    assertThatThrownBy(() -> parse(query))
        .isInstanceOf(GovernanceException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(code))
        .satisfies(e -> assertThat(((GovernanceException) e).httpStatus()).isEqualTo(400));
  }

  private static FieldFilter filter(ImageField field, FilterOperator op, Object... operands) {
    return FieldFilter.of(field, op, List.of(operands));
  }

  // 5.1 limit

  @Test
  void emptyRequestGivesGlanceDefaults() {
    CatalogQuery q = parse("");
    assertThat(q.limit()).isEqualTo(25);
    assertThat(q.marker()).isEmpty();
    assertThat(q.memberStatus()).contains(MemberStatus.ACCEPTED);
    assertThat(q.visibility()).isEqualTo(VisibilityFilter.DEFAULT);
    assertThat(q.filters()).containsExactly(FieldFilter.eq(ImageField.OS_HIDDEN, false));
    assertThat(q.propertyFilters()).isEmpty();
    assertThat(q.tags()).isEmpty();
    assertThat(q.sort())
        .containsExactly(SortKey.desc(ImageField.CREATED_AT), SortKey.desc(ImageField.ID));
    assertThat(q.seesAll()).isFalse();
    assertThat(q.project()).isEmpty();
  }

  @Test
  void limitIsTaken() {
    assertThat(parse("limit=7").limit()).isEqualTo(7);
    assertThat(parse("limit=0").limit()).isZero();
  }

  @Test
  void limitIsReadLikePythonInt() {
    assertThat(parse("limit=+12").limit()).isEqualTo(12);
    assertThat(parse("limit=%2012%20").limit()).isEqualTo(12);
    assertThat(parse("limit=1_0").limit()).isEqualTo(10);
  }

  @Test
  void limitIsCappedAtApiLimitMax() {
    assertThat(parse("limit=1001").limit()).isEqualTo(1000);
    assertThat(parse("limit=99999999999999999999999999").limit()).isEqualTo(1000);
    assertThat(new ListQueryParser(25, 3).parse(ListRequest.parse("limit=4")).limit())
        .isEqualTo(3);
  }

  @Test
  void defaultLimitIsCappedToo() {
    assertThat(new ListQueryParser(50, 10).parse(ListRequest.empty()).limit()).isEqualTo(10);
  }

  @Test
  void nonIntegerLimitIsRejected() {
    assertRejected("limit=abc", RuleCode.INVALID_LIMIT, "limit param must be an integer");
    assertRejected("limit=", RuleCode.INVALID_LIMIT, "limit param must be an integer");
    assertRejected("limit=1.5", RuleCode.INVALID_LIMIT, "limit param must be an integer");
  }

  @Test
  void negativeLimitIsRejected() {
    assertRejected("limit=-1", RuleCode.INVALID_LIMIT, "limit param must be positive");
  }

  @Test
  void parserLimitsMustBePositive() {
    assertThatThrownBy(() -> new ListQueryParser(0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ListQueryParser(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // 5.1 marker

  @Test
  void markerIsAnImageId() {
    assertThat(parse("marker=" + ID).marker()).contains(ImageId.of(ID));
  }

  @Test
  void malformedMarkerIsNotFound() {
    assertRejected(
        "marker=not-an-id", StoreErrorCode.INVALID_MARKER, "No image found with ID not-an-id");
    assertRejected("marker=", StoreErrorCode.INVALID_MARKER, "No image found with ID ");
  }

  // 5.1 member_status

  @Test
  void memberStatusIsTaken() {
    assertThat(parse("member_status=pending").memberStatus()).contains(MemberStatus.PENDING);
    assertThat(parse("member_status=rejected").memberStatus()).contains(MemberStatus.REJECTED);
    assertThat(parse("member_status=accepted").memberStatus()).contains(MemberStatus.ACCEPTED);
  }

  @Test
  void memberStatusAllMeansAny() {
    assertThat(parse("member_status=all").memberStatus()).isEmpty();
  }

  @Test
  void invalidMemberStatusIsRejected() {
    assertRejected("member_status=bogus", RuleCode.INVALID_FILTER, "Invalid status: bogus");
    assertRejected("member_status=Accepted", RuleCode.INVALID_FILTER, "Invalid status: Accepted");
  }

  // 5.1 visibility

  @Test
  void visibilityIsTaken() {
    assertThat(parse("visibility=community").visibility()).isEqualTo(VisibilityFilter.COMMUNITY);
    assertThat(parse("visibility=public").visibility()).isEqualTo(VisibilityFilter.PUBLIC);
    assertThat(parse("visibility=private").visibility()).isEqualTo(VisibilityFilter.PRIVATE);
    assertThat(parse("visibility=shared").visibility()).isEqualTo(VisibilityFilter.SHARED);
    assertThat(parse("visibility=all").visibility()).isEqualTo(VisibilityFilter.ALL);
  }

  @Test
  void invalidVisibilityIsRejected() {
    assertRejected(
        "visibility=secret", RuleCode.INVALID_FILTER, "Invalid visibility value: secret");
  }

  @Test
  void emptyVisibilityMatchesNothing() {
    CatalogQuery q = parse("visibility=");
    assertThat(q.visibility()).isEqualTo(VisibilityFilter.ALL);
    assertThat(q.filters()).contains(FieldFilter.eq(ImageField.VISIBILITY, ""));
  }

  @Test
  void repeatedVisibilityIsValidatedOnTheLastAndAlsoFiltersOnIt() {
    assertRejected(
        "visibility=public&visibility=bogus",
        RuleCode.INVALID_FILTER,
        "Invalid visibility value: bogus");
    CatalogQuery q = parse("visibility=public&visibility=private");
    assertThat(q.visibility()).isEqualTo(VisibilityFilter.PUBLIC);
    assertThat(q.filters()).contains(FieldFilter.eq(ImageField.VISIBILITY, "private"));
  }

  // 5.1 changes-since, deleted

  @Test
  void changesSinceIsRejected() {
    String message = "The \"changes-since\" filter is no longer available on v2.";
    assertRejected("changes-since=2020-01-01", RuleCode.INVALID_FILTER, message);
    assertRejected("changes-since=", RuleCode.INVALID_FILTER, message);
  }

  @Test
  void deletedIsIgnored() {
    CatalogQuery q = parse("deleted=true");
    assertThat(q.filters()).containsExactly(FieldFilter.eq(ImageField.OS_HIDDEN, false));
    assertThat(q.propertyFilters()).isEmpty();
  }

  // 5.1 os_hidden and protected

  @Test
  void osHiddenDefaultsToFalse() {
    assertThat(parse("").filters()).containsExactly(FieldFilter.eq(ImageField.OS_HIDDEN, false));
    assertThat(parse("os_hidden=FALSE").filters())
        .containsExactly(FieldFilter.eq(ImageField.OS_HIDDEN, false));
  }

  @Test
  void osHiddenTrueListsOnlyHiddenImages() {
    assertThat(parse("os_hidden=True").filters())
        .containsExactly(FieldFilter.eq(ImageField.OS_HIDDEN, true));
  }

  @Test
  void invalidOsHiddenIsRejected() {
    assertRejected(
        "os_hidden=ABCD",
        RuleCode.INVALID_FILTER,
        "Invalid value 'abcd' for 'os_hidden' filter. Valid values are 'true' or 'false'.");
  }

  @Test
  void protectedFilterIsCaseSensitive() {
    assertThat(parse("protected=true").filters())
        .contains(FieldFilter.eq(ImageField.PROTECTED, true));
    assertThat(parse("protected=false").filters())
        .contains(FieldFilter.eq(ImageField.PROTECTED, false));
    assertRejected(
        "protected=False",
        RuleCode.INVALID_FILTER,
        "Invalid value 'False' for 'protected' filter. Valid values are 'true' or 'false'.");
  }

  // 5.1 tag

  @Test
  void tagsAreStrippedAndAllRequired() {
    assertThat(parse("tag=sniff&tag=+snozz+").tags()).containsExactly("sniff", "snozz");
  }

  @Test
  void pluralTagsParameterRequiresEveryCharacter() {
    assertThat(parse("tags=ab").tags()).containsExactly("a", "b");
    assertThat(parse("tags=ab&tag=x").tags()).containsExactly("x");
  }

  // 5.3 custom properties and base columns

  @Test
  void unknownNamesAreCustomPropertyFilters() {
    CatalogQuery q = parse("foo=bar&abc=xyz&is_public=silly");
    assertThat(q.propertyFilters())
        .containsExactlyInAnyOrderEntriesOf(Map.of("foo", "bar", "abc", "xyz", "is_public", "silly"));
  }

  @Test
  void repeatedFilterKeyTakesTheLastValue() {
    assertThat(parse("os_distro=a&os_distro=b").propertyFilters())
        .containsExactlyEntriesOf(Map.of("os_distro", "b"));
    assertThat(parse("name=a&name=b").filters()).contains(FieldFilter.eq(ImageField.NAME, "b"));
  }

  @Test
  void repeatedChecksumRequiresFirstAndLast() {
    assertThat(parse("checksum=a&checksum=b").filters())
        .contains(FieldFilter.eq(ImageField.CHECKSUM, "a"), FieldFilter.eq(ImageField.CHECKSUM, "b"));
  }

  @Test
  void repeatedLimitBecomesAPropertyFilter() {
    CatalogQuery q = parse("limit=5&limit=6");
    assertThat(q.limit()).isEqualTo(5);
    assertThat(q.propertyFilters()).containsExactlyEntriesOf(Map.of("limit", "6"));
  }

  @Test
  void baseColumnsAreExactEquality() {
    assertThat(parse("owner=p1&os_hash_algo=sha512&os_hash_value=abc&checksum=c").filters())
        .contains(
            FieldFilter.eq(ImageField.OWNER, "p1"),
            FieldFilter.eq(ImageField.OS_HASH_ALGO, "sha512"),
            FieldFilter.eq(ImageField.OS_HASH_VALUE, "abc"),
            FieldFilter.eq(ImageField.CHECKSUM, "c"));
  }

  @Test
  void integerColumnsAreParsed() {
    assertThat(parse("min_ram=512&min_disk=1&size=10&virtual_size=20").filters())
        .contains(
            FieldFilter.eq(ImageField.MIN_RAM, 512L),
            FieldFilter.eq(ImageField.MIN_DISK, 1L),
            FieldFilter.eq(ImageField.SIZE, 10L),
            FieldFilter.eq(ImageField.VIRTUAL_SIZE, 20L));
  }

  @Test
  void nonIntegerColumnValueIsRejected() {
    assertThatThrownBy(() -> parse("min_ram=lots"))
        .isInstanceOf(GovernanceException.class)
        .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(RuleCode.INVALID_FILTER));
  }

  @Test
  void hugeIntegerColumnValueMatchesNothing() {
    assertThat(parse("size=99999999999999999999999").filters())
        .contains(ListQueryParser.MATCH_NOTHING);
  }

  @Test
  void deletedAtMatchesNothing() {
    assertThat(parse("deleted_at=2020-01-01").filters()).contains(ListQueryParser.MATCH_NOTHING);
  }

  @Test
  void relationsCannotBeFiltered() {
    for (String key : List.of("locations", "members", "properties")) {
      assertThatThrownBy(() -> parse(key + "=x"))
          .isInstanceOf(GovernanceException.class)
          .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(RuleCode.INVALID_FILTER));
    }
  }

  // 5.3 eq / in operators

  @Test
  void nameFilterDefaultsToEq() {
    assertThat(parse("name=cirros").filters()).contains(FieldFilter.eq(ImageField.NAME, "cirros"));
    assertThat(parse("status=eq:active").filters())
        .contains(FieldFilter.eq(ImageField.STATUS, "active"));
  }

  @Test
  void nameWithColonNeedsEqOperator() {
    assertRejected(
        "name=foo:bar", RuleCode.INVALID_FILTER, "Unable to filter by unknown operator 'foo'.");
    assertThat(parse("name=eq:foo:bar").filters())
        .contains(FieldFilter.eq(ImageField.NAME, "foo:bar"));
  }

  @Test
  void timestampValueNeedsNoOperator() {
    assertThat(parse("name=2020-01-01T10:00:00Z").filters())
        .contains(FieldFilter.eq(ImageField.NAME, "2020-01-01T10:00:00Z"));
  }

  @Test
  void unknownOperatorIsRejected() {
    assertRejected(
        "status=lala:active",
        RuleCode.INVALID_FILTER,
        "Unable to filter by unknown operator 'lala'.");
    assertRejected(
        "disk_format=gt:raw", RuleCode.INVALID_FILTER, "Unable to filter by unknown operator 'gt'.");
  }

  @Test
  void statusValuesAreNotValidated() {
    assertThat(parse("status=sleeping").filters())
        .contains(FieldFilter.eq(ImageField.STATUS, "sleeping"));
  }

  @Test
  void inOperatorSplitsAtCommas() {
    assertThat(parse("status=in:active,queued").filters())
        .contains(filter(ImageField.STATUS, FilterOperator.IN, "active", "queued"));
    assertThat(parse("id=in:a,,b").filters())
        .contains(filter(ImageField.ID, FilterOperator.IN, "a", "", "b"));
  }

  @Test
  void inOperatorKeepsQuotedCommas() {
    CatalogQuery q =
        parser.parse(ListRequest.empty().with("name", "in:\"fake\\\"name\",fakename,\"fake,name\""));
    assertThat(q.filters())
        .contains(
            filter(ImageField.NAME, FilterOperator.IN, "fake\\\"name", "fakename", "fake,name"));
  }

  @Test
  void inOperatorItemsFollowGlanceSplitting() {
    assertThat(ListQueryParser.splitInValues("\"\",a")).containsExactly("", "a");
    assertThat(ListQueryParser.splitInValues(",")).containsExactly("");
    assertThat(ListQueryParser.splitInValues("a,")).containsExactly("a");
    assertThat(ListQueryParser.splitInValues("a\\\"b,\"c\\\"d\"")).containsExactly("a\\\"b", "c\\\"d");
    assertThat(ListQueryParser.splitInValues("\"x\\\ny\"")).containsExactly("\"x\\\ny\"");
  }

  @Test
  void longQuotedInValuesAreSplitWithoutRecursion() {
    String item = "\\\"".repeat(200_000);
    assertThat(ListQueryParser.splitInValues("\"" + item + "\"")).containsExactly(item);
  }

  @Test
  void emptyInListMatchesNothing() {
    assertThat(parse("name=in:").filters()).contains(ListQueryParser.MATCH_NOTHING);
  }

  @Test
  void invalidQuotesAreRejected() {
    List<String> vectors =
        List.of("in:\"name", "in:\"name\"name", "in:name\"dd\"", "in:na\"me", "in:\"name\"\"name\"");
    for (String value : vectors) {
      assertThatThrownBy(() -> parser.parse(ListRequest.empty().with("name", value)))
          .as(value)
          .isInstanceOf(GovernanceException.class)
          .hasMessageStartingWith("Invalid filter value ")
          .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(RuleCode.INVALID_FILTER));
    }
  }

  // 5.3 created_at / updated_at

  @Test
  void createdAtComparesWithOperators() {
    Instant t = Instant.parse("2020-01-02T03:04:05Z");
    assertThat(parse("created_at=lt:2020-01-02T03:04:05Z").filters())
        .contains(filter(ImageField.CREATED_AT, FilterOperator.LT, t));
    assertThat(parse("updated_at=gte:2020-01-02T03:04:05Z").filters())
        .contains(filter(ImageField.UPDATED_AT, FilterOperator.GTE, t));
    assertThat(parse("created_at=neq:2020-01-02T04:04:05%2B01:00").filters())
        .contains(filter(ImageField.CREATED_AT, FilterOperator.NEQ, t));
    assertThat(parse("created_at=2020-01-02T03:04:05").filters())
        .contains(filter(ImageField.CREATED_AT, FilterOperator.EQ, t));
  }

  @Test
  void createdAtAcceptsADateAlone() {
    assertThat(parse("created_at=gt:2020-01-02").filters())
        .contains(
            filter(ImageField.CREATED_AT, FilterOperator.GT, Instant.parse("2020-01-02T00:00:00Z")));
  }

  @Test
  void badCreatedAtIsRejected() {
    assertRejected(
        "created_at=gt:yesterday",
        RuleCode.INVALID_FILTER,
        "Bad \"created_at\" query filter format. Use ISO 8601 DateTime notation.");
    assertRejected(
        "updated_at=2020-13-01",
        RuleCode.INVALID_FILTER,
        "Bad \"updated_at\" query filter format. Use ISO 8601 DateTime notation.");
  }

  @Test
  void unknownTimeOperatorIsRejected() {
    assertRejected(
        "created_at=in:2020-01-01",
        RuleCode.INVALID_FILTER,
        "Unable to filter on a unknown operator.");
  }

  // 5.3 ranges

  @Test
  void sizeRangeIsInclusive() {
    assertThat(parse("size_min=20&size_max=15").filters())
        .contains(
            filter(ImageField.SIZE, FilterOperator.GTE, 20L),
            filter(ImageField.SIZE, FilterOperator.LTE, 15L));
    assertThat(parse("virtual_size_min=1&min_ram_max=2").filters())
        .contains(
            filter(ImageField.VIRTUAL_SIZE, FilterOperator.GTE, 1L),
            filter(ImageField.MIN_RAM, FilterOperator.LTE, 2L));
  }

  @Test
  void nonNumericRangeIsRejected() {
    assertRejected(
        "size_min=blah",
        RuleCode.INVALID_FILTER,
        "Unable to filter on a range with a non-numeric value.");
  }

  @Test
  void unknownMinFilterIsBadRequest() {
    for (String key : List.of("foo_min", "name_max", "created_at_min", "_min")) {
      assertThatThrownBy(() -> parse(key + "=1"))
          .as(key)
          .isInstanceOf(GovernanceException.class)
          .satisfies(e -> assertThat(((GovernanceException) e).code()).isEqualTo(RuleCode.INVALID_FILTER));
    }
  }

  @Test
  void hugeRangeBoundsKeepTheirMeaning() {
    assertThat(parse("size_min=99999999999999999999").filters())
        .contains(ListQueryParser.MATCH_NOTHING);
    assertThat(parse("size_max=99999999999999999999").filters())
        .contains(filter(ImageField.SIZE, FilterOperator.LTE, Long.MAX_VALUE));
  }

  // 5.5 sorting

  @Test
  void classicSortWithoutDirIsDesc() {
    assertThat(parse("sort_key=name&sort_key=size").sort())
        .containsExactly(SortKey.desc(ImageField.NAME), SortKey.desc(ImageField.SIZE), SortKey.desc(ImageField.CREATED_AT), SortKey.desc(ImageField.ID));
  }

  @Test
  void classicSingleDirAppliesToEveryKey() {
    assertThat(parse("sort_key=name&sort_key=size&sort_dir=asc").sort())
        .containsExactly(SortKey.asc(ImageField.NAME), SortKey.asc(ImageField.SIZE), SortKey.asc(ImageField.CREATED_AT), SortKey.asc(ImageField.ID));
  }

  @Test
  void classicDirsPairWithKeys() {
    assertThat(parse("sort_key=name&sort_dir=desc&sort_key=size&sort_dir=asc").sort())
        .containsExactly(SortKey.desc(ImageField.NAME), SortKey.asc(ImageField.SIZE), SortKey.desc(ImageField.CREATED_AT), SortKey.desc(ImageField.ID));
  }

  @Test
  void sortDirAloneSortsByCreatedAt() {
    assertThat(parse("sort_dir=asc").sort()).containsExactly(SortKey.asc(ImageField.CREATED_AT), SortKey.asc(ImageField.ID));
  }

  @Test
  void sortDirCountMustMatchKeys() {
    String message = "Number of sort dirs does not match the number of sort keys";
    assertRejected("sort_key=name&sort_dir=asc&sort_dir=desc", RuleCode.INVALID_SORT, message);
    assertRejected(
        "sort_key=name&sort_key=size&sort_key=id&sort_dir=asc&sort_dir=desc",
        RuleCode.INVALID_SORT,
        message);
  }

  @Test
  void newSortSyntaxDefaultsToDesc() {
    assertThat(parse("sort=name,id:asc,size").sort())
        .containsExactly(
            SortKey.desc(ImageField.NAME), SortKey.asc(ImageField.ID), SortKey.desc(ImageField.SIZE),
            SortKey.desc(ImageField.CREATED_AT));
  }

  @Test
  void newSortSyntaxStripsBlanks() {
    assertThat(parse("sort=+name+:+asc+").sort()).containsExactly(SortKey.asc(ImageField.NAME), SortKey.asc(ImageField.CREATED_AT), SortKey.asc(ImageField.ID));
  }

  @Test
  void combinedSortingSyntaxIsRejected() {
    assertRejected(
        "sort=name&sort_dir=asc",
        RuleCode.INVALID_SORT,
        "Old and new sorting syntax cannot be combined");
    assertRejected(
        "sort_key=name&sort=name",
        RuleCode.INVALID_SORT,
        "Old and new sorting syntax cannot be combined");
  }

  @Test
  void invalidSortKeyIsRejected() {
    String message =
        "Invalid sort key: min_ram. It must be one of the following: name, status,"
            + " container_format, disk_format, size, id, created_at, updated_at.";
    assertRejected("sort_key=min_ram", RuleCode.INVALID_SORT, message);
    assertRejected("sort=min_ram:asc", RuleCode.INVALID_SORT, message);
  }

  @Test
  void invalidSortDirIsRejected() {
    assertRejected("sort_dir=up", RuleCode.INVALID_SORT, "Invalid sort direction: up");
    assertRejected("sort=name:ASC", RuleCode.INVALID_SORT, "Invalid sort direction: ASC");
  }

  @Test
  void duplicateSortKeyKeepsItsFirstMention() {
    assertThat(parse("sort=name:asc,name:desc").sort())
        .startsWith(SortKey.asc(ImageField.NAME))
        .doesNotContain(SortKey.desc(ImageField.NAME));
  }

  @Test
  void tieBreakersFollowGlanceWhenDirectionsDiffer() {
    assertThat(parse("sort=name:asc,size:asc").sort())
        .containsExactly(
            SortKey.asc(ImageField.NAME),
            SortKey.asc(ImageField.SIZE),
            SortKey.desc(ImageField.CREATED_AT),
            SortKey.desc(ImageField.ID));
    assertThat(parse("sort=name:asc").sort()).containsExactly(SortKey.asc(ImageField.NAME), SortKey.asc(ImageField.CREATED_AT), SortKey.asc(ImageField.ID));
  }

  @Test
  void theQueryIsBoundToItsCallerInOneStep() {
    dev.imagegov.access.Caller caller = dev.imagegov.access.Caller.member("p1");
    CatalogQuery q = parser.parse(ListRequest.parse("limit=3"), caller, true, id -> false);
    assertThat(q.seesAll()).isTrue();
    assertThat(q.project()).contains(dev.imagegov.model.ProjectId.of("p1"));
    assertThat(q.limit()).isEqualTo(3);
    assertThat(q.memberStatus()).isEqualTo(Optional.of(MemberStatus.ACCEPTED));
    assertThat(q.sort()).isEqualTo(q.effectiveSort());
  }

  @Test
  void markerTheCallerMayNotSeeIsAnsweredLikeAnUnknownMarker() {
    dev.imagegov.access.Caller caller = dev.imagegov.access.Caller.member("p1");
    String visible = "11111111-1111-4111-8111-111111111111";
    String hidden = "22222222-2222-4222-8222-222222222222";
    java.util.function.Predicate<dev.imagegov.model.ImageId> canSee =
        id -> id.value().equals(visible);
    assertThat(parser.parse(ListRequest.parse("marker=" + visible), caller, false, canSee).marker())
        .contains(dev.imagegov.model.ImageId.of(visible));
    assertThatThrownBy(() -> parser.parse(ListRequest.parse("marker=" + hidden), caller, false, canSee))
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(StoreErrorCode.INVALID_MARKER);
          assertThat(e.httpStatus()).isEqualTo(400);
        })
        .hasMessage("No image found with ID " + hidden);
  }
}
