package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.ImageCreated;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.protection.PropertyOperation;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.protection.RuleFormat;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * How property protections shape the facade (reference §7.4, without patch): create checks the
 * {@code create} rule of every custom property; get and list omit the properties the caller may
 * not read; a list filter on such a property matches nothing. Runs with Glance's own sample
 * file, {@code glance/tests/etc/property-protections.conf}: {@code x_owner_*} for admin and
 * member, {@code x_none_read} creatable by admin and member but readable by no one, and a
 * final {@code [.*]} for admins only.
 */
class PropertyProtectionRulesTest {
  static final Caller ADMIN = Fixtures.ADMIN;
  static final Caller MEMBER = Fixtures.PRODUCER;
  static final Caller READER = Fixtures.PRODUCER_READER;

  static PropertyProtections glanceSample() {
    try {
      Path file =
          Path.of(
              PropertyProtectionRulesTest.class.getResource("property-protections.conf").toURI());
      return PropertyProtections.load(file, RuleFormat.ROLES, Policy.secureDefaults());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static GovernanceConfig protectedConfig() {
    return GovernanceConfig.builder().propertyProtections(glanceSample()).build();
  }

  final Fixtures f = new Fixtures(protectedConfig());

  Image adminCreatesPublic(Map<String, String> properties) {
    return f.images()
        .create(
            ADMIN,
            NewImage.builder()
                .name("golden")
                .visibility(Visibility.PUBLIC)
                .owner("producer")
                .properties(properties)
                .build());
  }

  static Map<String, String> props(String... keyValues) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      out.put(keyValues[i], keyValues[i + 1]);
    }
    return out;
  }

  @Test
  void getOmitsPropertiesTheCallerMayNotRead() {
    Image image = adminCreatesPublic(props("x_owner_kernel", "k1", "secret", "s1"));
    assertThat(f.images().get(ADMIN, image.id()).properties())
        .containsOnlyKeys("x_owner_kernel", "secret");
    assertThat(f.images().get(MEMBER, image.id()).properties())
        .containsExactly(Map.entry("x_owner_kernel", "k1"));
    assertThat(f.images().get(READER, image.id()).properties()).isEmpty();
  }

  @Test
  void listOmitsPropertiesTheCallerMayNotRead() {
    adminCreatesPublic(props("x_owner_kernel", "k1", "secret", "s1"));
    List<Image> listed = f.images().list(MEMBER, ListRequest.empty()).images();
    assertThat(listed).singleElement()
        .satisfies(i -> assertThat(i.properties()).containsOnlyKeys("x_owner_kernel"));
  }

  @Test
  void filterOnUnreadablePropertyMatchesNothing() {
    Image image = adminCreatesPublic(props("x_owner_kernel", "k1", "secret", "s1"));
    assertThat(f.listIds(ADMIN, "secret=s1")).containsExactly(image.id());
    assertThat(f.listIds(MEMBER, "secret=s1")).isEmpty();
    assertThat(f.listIds(MEMBER, "secret=other")).isEmpty();
    assertThat(f.listIds(MEMBER, "x_owner_kernel=k1")).containsExactly(image.id());
    assertThat(f.listIds(MEMBER, "x_owner_kernel=k1&secret=s1")).isEmpty();
    assertThat(f.images().list(MEMBER, ListRequest.parse("secret=s1")).next()).isEmpty();
  }

  @Test
  void createRefusesAPropertyTheCallerMayNotCreate() {
    assertThatThrownBy(
            () ->
                f.images()
                    .create(
                        MEMBER,
                        NewImage.builder()
                            .name("x")
                            .properties(props("x_owner_a", "1", "secret", "2"))
                            .build()))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.PROPERTY_PROTECTED))
        .hasMessage("Attribute 'secret' is reserved. Property protections do not let the caller"
            + " create it.");
    assertThat(f.listIds(ADMIN, "")).isEmpty();
    assertThat(f.events).isEmpty();
  }

  @Test
  void adminsGetNoBypass() {
    Expect.fails(
        RuleCode.PROPERTY_PROTECTED,
        () -> adminCreatesPublic(props("x_none_permitted_flag", "1")));
    Image image = adminCreatesPublic(props("x_none_read", "v"));
    assertThat(f.images().get(ADMIN, image.id()).properties()).isEmpty();
  }

  @Test
  void createOnlyPropertyIsStoredAndHiddenFromItsCreator() {
    Image returned =
        f.images()
            .create(
                MEMBER,
                NewImage.builder().name("x").properties(props("x_none_read", "v")).build());
    assertThat(returned.properties()).isEmpty();
    assertThat(f.images().get(MEMBER, returned.id()).properties()).isEmpty();
    assertThat(f.events)
        .singleElement()
        .isInstanceOfSatisfying(
            ImageCreated.class,
            e -> assertThat(e.image().properties()).containsExactly(Map.entry("x_none_read", "v")));
  }

  @Test
  void baseAttributesAreNeverProtected() {
    Image image =
        f.images()
            .create(
                MEMBER,
                NewImage.builder().name("n").tags(List.of("t")).minDisk(1).build());
    assertThat(f.images().get(MEMBER, image.id()).name()).contains("n");
    assertThat(f.listIds(MEMBER, "name=n&tag=t")).containsExactly(image.id());
  }

  @Test
  void withoutProtectionsEveryPropertyIsCreatedAndShown() {
    Fixtures open = new Fixtures();
    Image image =
        open.images()
            .create(MEMBER, NewImage.builder().name("x").properties(props("secret", "s")).build());
    assertThat(open.images().get(MEMBER, image.id()).properties()).containsKey("secret");
    assertThat(open.listIds(MEMBER, "secret=s")).containsExactly(image.id());
  }

  // ------------------------------------------------------------ property

  static final List<String> KEYS =
      List.of(
          "x_owner_a", "secret", "x_none_read", "spl_read_prop", "x_case_insensitive",
          "x_foo_matcher", "x_foo_bar", "x_all_permitted_1");

  static final List<Caller> CALLERS =
      List.of(
          ADMIN, Caller.member("p1"), Caller.reader("p1"), Caller.of("p1", "reader", "spl_role"),
          Caller.member("p2"), Caller.of("p2", "reader", "Member"));

  /** An image to create: its owner, visibility and properties. */
  record Spec(String owner, Visibility visibility, Map<String, String> properties) {}

  static Gen<Spec> specs() {
    Gen<Map<String, String>> properties =
        lists()
            .of(Generate.pick(KEYS).zip(Generate.pick(List.of("a", "b")), Map::entry))
            .ofSizeBetween(0, 5)
            .map(
                entries -> {
                  Map<String, String> m = new LinkedHashMap<>();
                  entries.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
                  return m;
                });
    return Generate.pick(List.of("p1", "p2"))
        .zip(
            Generate.pick(List.of(Visibility.PUBLIC, Visibility.PRIVATE, Visibility.COMMUNITY)),
            properties,
            Spec::new);
  }

  @Test
  void aCallerNeverSeesAHiddenPropertyThroughGetListOrFilter() {
    PropertyProtections protections = glanceSample();
    qt().withExamples(60)
        .forAll(lists().of(specs()).ofSizeBetween(1, 4))
        .checkAssert(
            specs -> {
              MemoryCatalog catalog = new MemoryCatalog();
              ImageGovernance open =
                  ImageGovernance.builder().catalog(catalog).clock(new TickingClock()).build();
              ImageGovernance guarded =
                  ImageGovernance.builder()
                      .catalog(catalog)
                      .config(GovernanceConfig.builder().propertyProtections(protections).build())
                      .clock(new TickingClock())
                      .build();
              Map<ImageId, Image> stored = new LinkedHashMap<>();
              for (Spec s : specs) {
                NewImage request =
                    NewImage.builder()
                        .owner(s.owner())
                        .visibility(s.visibility())
                        .properties(s.properties())
                        .build();
                Image created = open.images().create(ADMIN, request);
                stored.put(created.id(), created);
              }
              for (Caller caller : CALLERS) {
                checkCaller(guarded, protections, stored, caller);
              }
            });
  }

  private static void checkCaller(
      ImageGovernance guarded,
      PropertyProtections protections,
      Map<ImageId, Image> stored,
      Caller caller) {
    for (Image image : stored.values()) {
      try {
        Image seen = guarded.images().get(caller, image.id());
        assertThat(seen.properties()).isEqualTo(readable(protections, caller, image));
      } catch (GovernanceException e) {
        assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND);
      }
    }
    List<Image> listed = guarded.images().list(caller, ListRequest.parse("limit=1000")).images();
    for (Image seen : listed) {
      assertThat(seen.properties())
          .isEqualTo(readable(protections, caller, stored.get(seen.id())));
    }
    for (String key : KEYS) {
      for (String value : List.of("a", "b")) {
        Set<ImageId> filtered =
            guarded.images().list(caller, ListRequest.parse(key + "=" + value + "&limit=1000"))
                .images().stream()
                .map(Image::id)
                .collect(Collectors.toSet());
        Set<ImageId> expected =
            protections.allows(caller, key, PropertyOperation.READ)
                ? listed.stream()
                    .filter(i -> value.equals(stored.get(i.id()).properties().get(key)))
                    .map(Image::id)
                    .collect(Collectors.toSet())
                : Set.of();
        assertThat(filtered).as("%s lists %s=%s", caller, key, value).isEqualTo(expected);
      }
    }
  }

  private static Map<String, String> readable(
      PropertyProtections protections, Caller caller, Image image) {
    return image.properties().entrySet().stream()
        .filter(e -> protections.allows(caller, e.getKey(), PropertyOperation.READ))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
