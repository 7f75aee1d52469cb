package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.google.common.collect.ArrayListMultimap;
import com.google.common.collect.ListMultimap;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Every malformed input — ids, list filters, sort keys, markers, member ids and statuses, image
 * fields, policy files — is answered with a {@link GovernanceException}, never another exception,
 * and a refused operation leaves the catalog exactly as it was and emits no event.
 */
class MalformedInputPropertyTest {
  private static final List<String> KNOWN_KEYS =
      List.of("limit", "marker", "member_status", "visibility", "sort", "sort_key", "sort_dir",
          "name", "id", "status", "owner", "tag", "size_min", "size_max", "created_at",
          "updated_at", "protected", "os_hidden", "disk_format", "changes-since", "foo_min",
          "checksum", "min_ram", "virtual_size_max", "os_distro");

  private static final List<String> NASTY =
      List.of("", " ", ":", "in:", "in:\"a", "eq:", "gt:", "lt:2020-13-45", "\"", "a,\"b\"c", "%",
          "%zz", "-1", "99999999999999999999999", "1e3", "0x10", "true", "TRUE", "all", "asc",
          "name:up", "\u0000", "\uD83D\uDE00", "../..", "00000000-0000-0000-0000-00000000000g",
          "00000000-0000-0000-0000-000000000001", "x".repeat(300));

  private static Gen<String> garbage() {
    return Generate.oneOf(
        Generate.pick(NASTY),
        strings().allPossible().ofLengthBetween(0, 12),
        strings().basicLatinAlphabet().ofLengthBetween(0, 20));
  }

  private static Gen<Caller> callers() {
    return Generate.pick(
        List.of(Fixtures.PRODUCER, Fixtures.CONSUMER_A, Fixtures.OUTSIDER, Fixtures.ADMIN,
            Fixtures.PRODUCER_READER, Caller.withoutProject("reader")));
  }

  /** A seeded governance: a few images, a membership, a deleted image. */
  private static Fixtures seeded() {
    Fixtures f = new Fixtures();
    Image shared = f.create(Fixtures.PRODUCER, "shared", Visibility.SHARED);
    f.sharing().addMember(Fixtures.PRODUCER, shared.id(), "consumer-a");
    f.create(Fixtures.PRODUCER, "private", Visibility.PRIVATE);
    f.createFor("producer", "public", Visibility.PUBLIC);
    Image gone = f.create(Fixtures.PRODUCER, "gone", Visibility.PRIVATE);
    f.images().delete(Fixtures.PRODUCER, gone.id());
    f.events.clear();
    return f;
  }

  private static List<Image> snapshot(Fixtures f) {
    List<Image> all = new ArrayList<>();
    f.governance.catalog().forEach(all::add);
    all.sort(Comparator.comparing(Image::id));
    return all;
  }

  /** Runs {@code op}; a refusal must be a GovernanceException that changed nothing. */
  private static void refusesCleanly(Consumer<Fixtures> op) {
    Fixtures f = seeded();
    List<Image> before = snapshot(f);
    long count = f.governance.catalog().size();
    try {
      op.accept(f);
    } catch (GovernanceException e) {
      assertThat(snapshot(f)).as("catalog after %s", e).isEqualTo(before);
      assertThat(f.governance.catalog().size()).isEqualTo(count);
      assertThat(f.events).as("events after %s", e).isEmpty();
    }
  }

  @Test
  void malformedIdsAreRefusedCleanly() {
    qt().forAll(callers(), garbage())
        .checkAssert((caller, id) -> refusesCleanly(f -> f.images().get(caller, id)));
  }

  @Test
  void malformedListParametersAreRefusedCleanly() {
    Gen<ListMultimap<String, String>> params =
        lists().of(Generate.oneOf(Generate.pick(KNOWN_KEYS), garbage()).zip(garbage(), Map::entry))
            .ofSizeBetween(0, 6)
            .map(entries -> {
              ListMultimap<String, String> m = ArrayListMultimap.create();
              entries.forEach(e -> m.put(e.getKey(), e.getValue()));
              return m;
            });
    qt().forAll(callers(), params)
        .checkAssert((caller, p) -> refusesCleanly(f -> f.images().list(caller, ListRequest.of(p))));
  }

  @Test
  void malformedQueryStringsAreRefusedCleanly() {
    qt().forAll(callers(), lists().of(garbage()).ofSizeBetween(0, 5))
        .checkAssert((caller, parts) -> refusesCleanly(
            f -> f.images().list(caller, ListRequest.parse(String.join("&", parts)))));
  }

  @Test
  void malformedImageFieldsAreRefusedCleanly() {
    Gen<NewImage> requests =
        garbage().zip(garbage(), garbage(), garbage(), (id, name, owner, format) -> new String[] {id, name, owner, format})
            .zip(longs().all(), lists().of(garbage()).ofSizeBetween(0, 3),
                lists().of(garbage().zip(garbage(), Map::entry)).ofSizeBetween(0, 3),
                (s, min, tags, props) -> {
                  Map<String, String> properties = new LinkedHashMap<>();
                  props.forEach(e -> properties.put(e.getKey(), e.getValue()));
                  return NewImage.builder().id(s[0]).name(s[1]).owner(s[2]).diskFormat(s[3])
                      .containerFormat(s[3]).minDisk(min).minRam(min % 1000).tags(tags)
                      .properties(properties).build();
                });
    qt().forAll(callers(), requests)
        .checkAssert((caller, request) -> refusesCleanly(f -> f.images().create(caller, request)));
  }

  @Test
  void malformedMemberIdsAndStatusesAreRefusedCleanly() {
    qt().forAll(callers(), garbage(), garbage(), integers().between(0, 1))
        .checkAssert((caller, member, status, which) -> refusesCleanly(f -> {
          ImageId shared = f.listIds(Fixtures.PRODUCER, "name=shared").get(0);
          if (which == 0) {
            f.sharing().addMember(caller, shared, member);
          } else {
            f.sharing().updateMemberStatus(caller, shared, ProjectId.of("consumer-a"), status);
          }
        }));
  }

  @Test
  void malformedPolicyFilesAreInvalidConfiguration() {
    qt().forAll(garbage(), Generate.enumValues(Policy.Format.class))
        .checkAssert((text, format) -> {
          try {
            Policy.parse(text, format);
          } catch (ConfigurationException e) {
          }
        });
    qt().forAll(garbage(), garbage())
        .checkAssert((rule, check) -> {
          try {
            Policy.secureDefaults().withRule(rule.isEmpty() ? "x" : rule, check);
          } catch (ConfigurationException e) {
          }
        });
  }
}
