package dev.imagegov.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Policy;
import dev.imagegov.testkit.contract.ScanningCatalog;
import dev.imagegov.testkit.contract.SimpleBlobStore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A lifecycle check's failure shrinks to a few moves and names the failing one with explain. */
class LifecycleModelCheckTest {
  private static final Pattern SHRUNK = Pattern.compile("shrunk from (\\d+) to (\\d+) steps");

  @Test
  void aPolicyTheModelDoesNotKnowFailsTheCheckAndShrinksToAFewMoves() {
    // The model knows the default policy; one where only admins modify images refuses an owner's
    // lifecycle operation the model allows.
    LifecycleModelCheck check = LifecycleModelCheck.against(() -> ImageGovernance.builder()
            .catalog(new ScanningCatalog())
            .blobStore(new SimpleBlobStore())
            .config(GovernanceConfig.builder()
                .policy(Policy.secureDefaults().withRule("modify_image", "role:admin"))
                .build())
            .build())
        .withExamples(200);
    assertThatThrownBy(check::run)
        .isInstanceOf(AssertionError.class)
        .satisfies(e -> {
          Matcher m = SHRUNK.matcher(e.getMessage());
          assertThat(m.find()).as(e.getMessage()).isTrue();
          assertThat(Integer.parseInt(m.group(2))).as(e.getMessage()).isLessThanOrEqualTo(4)
              .isLessThan(Integer.parseInt(m.group(1)));
          assertThat(e.getMessage()).contains("LifecycleModelCheck failed (seed 15)")
              .contains("The answer disagrees after step")
              .containsPattern("explain\\([a-z0-9]+\\.[a-z-]+, [0-9a-f-]+, MODIFY\\):\n"
                  + "MODIFY of image ")
              .contains("modify_image");
        });
  }
}
