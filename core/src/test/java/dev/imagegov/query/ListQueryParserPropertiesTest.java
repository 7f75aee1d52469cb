package dev.imagegov.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.google.common.collect.LinkedListMultimap;
import com.google.common.collect.ListMultimap;
import dev.imagegov.error.ErrorKind;
import dev.imagegov.error.GovernanceException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class ListQueryParserPropertiesTest {
  private static final List<String> KNOWN_KEYS =
      List.of(
          "limit", "marker", "member_status", "visibility", "changes-since", "deleted",
          "os_hidden", "protected", "tag", "tags", "name", "id", "status", "container_format",
          "disk_format", "created_at", "updated_at", "size_min", "size_max", "virtual_size_min",
          "virtual_size_max", "min_ram_min", "min_disk_max", "foo_min", "name_max", "_min",
          "owner", "checksum", "os_hash_algo", "os_hash_value", "min_ram", "min_disk", "size",
          "virtual_size", "deleted_at", "locations", "members", "properties", "is_public",
          "os_distro", "sort", "sort_key", "sort_dir", "");

  private static final List<String> FRAGMENTS =
      List.of(
          "", ":", ",", "\"", "\\\"", "in:", "eq:", "gt:", "lte:", "neq:", "foo:", "asc", "desc",
          "name", "size", "created_at", "id:asc", "true", "false", "True", "all", "public",
          "pending", "2020-01-01", "2020-01-01T10:00:00Z", "2020-13-45T99:99", "+02:00",
          "8a9b7c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d", "0", "-1", "1_0", "99999999999999999999999999",
          "-99999999999999999999999999", " ", "\t", "é", "\uD83D\uDE00", "٣", "%", "+", "&", "=",
          "\n", "\u0000");

  private static Gen<String> keys() {
    return Generate.oneOf(
        Generate.pick(KNOWN_KEYS), strings().basicLatinAlphabet().ofLengthBetween(0, 8));
  }

  private static Gen<String> values() {
    Gen<String> composed =
        lists()
            .of(Generate.pick(FRAGMENTS))
            .ofSizeBetween(0, 5)
            .map(parts -> String.join("", parts));
    return Generate.oneOf(composed, strings().allPossible().ofLengthBetween(0, 12));
  }

  private static Gen<ListMultimap<String, String>> paramMaps() {
    Gen<Map.Entry<String, String>> entries = keys().zip(values(), Map::entry);
    return lists()
        .of(entries)
        .ofSizeBetween(0, 8)
        .map(
            list -> {
              ListMultimap<String, String> m = LinkedListMultimap.create();
              list.forEach(e -> m.put(e.getKey(), e.getValue()));
              return m;
            });
  }

  @Test
  void garbageEitherParsesOrIsABadRequest() {
    ListQueryParser parser = new ListQueryParser(25, 1000);
    qt().withExamples(3000)
        .forAll(paramMaps(), integers().between(1, 50))
        .checkAssert(
            (params, ignored) -> {
              try {
                parser.parse(ListRequest.of(params));
              } catch (GovernanceException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
              }
            });
  }

  @Test
  void garbageQueryStringsEitherParseOrAreBadRequests() {
    ListQueryParser parser = ListQueryParser.glanceDefaults();
    qt().withExamples(2000)
        .forAll(values().zip(values(), (a, b) -> a + "&" + b))
        .checkAssert(
            query -> {
              try {
                parser.parse(ListRequest.parse(query));
              } catch (GovernanceException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
              }
            });
  }

  @Test
  void queryStringRoundTrips() {
    qt().withExamples(2000)
        .forAll(paramMaps())
        .checkAssert(
            params -> {
              ListRequest request;
              try {
                request = ListRequest.of(params);
              } catch (GovernanceException e) {
                // unpaired surrogates cannot be encoded; refusing them is the contract
                assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                return;
              }
              assertThat(ListRequest.parse(request.toQueryString())).isEqualTo(request);
            });
  }
}
