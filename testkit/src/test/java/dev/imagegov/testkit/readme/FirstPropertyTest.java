package dev.imagegov.testkit.readme;

import dev.imagegov.spi.Catalog;
import dev.imagegov.testkit.contract.ScanningCatalog;
// readme:imports:begin
import static dev.imagegov.testkit.assertions.GovernanceAssertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.imagegov.model.Visibility;
import dev.imagegov.testkit.fixture.Tenancy;
import dev.imagegov.testkit.gen.Callers;
import dev.imagegov.testkit.gen.Callers.Role;
import dev.imagegov.testkit.gen.Members;
import org.junit.jupiter.api.Test;
// readme:imports:end

/**
 * The README's first property test, kept compiling, passing and identical by {@code ReadmeTest}.
 */
class FirstPropertyTest {
  /** The catalog under test; the README says to use yours (for example a MemoryCatalog). */
  private static Catalog catalog() {
    return new ScanningCatalog();
  }

  // readme:first-property:begin
  @Test
  void consumersOfAnyStatusCanGetASharedImageAndOutsidersCannotSeeIt() {
    qt().forAll(Members.statuses(), Callers.of("outsider").withRoles(Role.MEMBER, Role.READER))
        .checkAssert(
            (status, outsider) -> {
              Tenancy t =
                  Tenancy.builder()
                      .image("golden", "producer", Visibility.SHARED)
                      .member("golden", "consumer", status)
                      .buildOn(catalog());
              assertThat(t.governance()).as(t.member("consumer")).canGet(t.image("golden"));
              assertThat(t.governance()).as(outsider).cannotSee(t.image("golden"));
            });
  }
  // readme:first-property:end
}
