package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.GovernanceMetrics;
import dev.imagegov.events.MemoryMetrics;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The metrics hook: every operation a caller asks for is counted by outcome and timed. */
class GovernanceMetricsTest {
  private final MemoryMetrics metrics = new MemoryMetrics();

  private ImageGovernance governance(GovernanceConfig config, GovernanceMetrics m) {
    return ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .blobStore(MemoryBlobStore.builder(dev.imagegov.model.StoreId.of("local")).build())
        .config(config)
        .clock(new TickingClock())
        .metrics(m)
        .build();
  }

  @Test
  void completedAndRefusedOperationsAreCountedByOutcomeAndCodeAndTimed() {
    ImageGovernance g = governance(
        GovernanceConfig.builder().userStorageQuota("10B").build(), metrics);
    Image image = g.images().create(PRODUCER, NewImage.builder()
        .diskFormat("raw").containerFormat("bare").build());
    g.images().get(PRODUCER, image.id());
    Expect.fails(RuleCode.STORAGE_QUOTA_EXCEEDED, () -> g.data().upload(PRODUCER, image.id(),
        new ByteArrayInputStream(new byte[40]), OptionalLong.empty()));
    ImageId unknown = ImageId.of(new UUID(7, 7));
    Expect.notFound(() -> g.images().get(PRODUCER, unknown));

    assertThat(metrics.count("images.create", MemoryMetrics.COMPLETED)).isEqualTo(1);
    assertThat(metrics.count("images.get", MemoryMetrics.COMPLETED)).isEqualTo(1);
    assertThat(metrics.refusals("images.get", StoreErrorCode.IMAGE_NOT_FOUND)).isEqualTo(1);
    assertThat(metrics.refusals("data.upload", RuleCode.STORAGE_QUOTA_EXCEEDED)).isEqualTo(1);
    assertThat(metrics.timing("images.get").count()).isEqualTo(2);
    assertThat(metrics.timing("data.upload").count()).isEqualTo(1);
    assertThat(metrics.timing("images.update").count()).isZero();
  }

  @Test
  void anOverloadThatDelegatesIsCountedOnce() {
    ImageGovernance g = governance(GovernanceConfig.defaults(), metrics);
    Image image = g.images().create(PRODUCER, NewImage.builder().build());
    g.images().get(PRODUCER, image.id().toString()); // the String overload calls the ImageId one
    assertThat(metrics.counters().get("images.get")).containsExactly(
        java.util.Map.entry(MemoryMetrics.COMPLETED, 1L));
  }

  @Test
  void metricsThatThrowChangeNoOperation() {
    ImageGovernance g = governance(GovernanceConfig.defaults(), new GovernanceMetrics() {
      @Override
      public void completed(String operation, java.time.Duration elapsed) {
        throw new IllegalStateException("metrics fail");
      }
    });
    Image image = g.images().create(PRODUCER, NewImage.builder().name("x").build());
    assertThat(g.catalog().find(image.id())).isPresent();
  }

  /**
   * Every public method of every facade group that takes a caller first reports an outcome
   * under {@code <group>.<method>}: each is called with empty arguments, so it ends somehow
   * (refused or failed), and that end must be reported.
   */
  @Test
  void everyOperationOfEveryGroupIsMetered() throws Exception {
    ImageGovernance g = governance(GovernanceConfig.defaults(), metrics);
    List<String> unmetered = new ArrayList<>();
    int operations = 0;
    for (Method accessor : ImageGovernance.class.getMethods()) {
      if (accessor.getParameterCount() != 0 || accessor.getDeclaringClass() != ImageGovernance.class
          || !accessor.getReturnType().getPackageName().startsWith("dev.imagegov.")
          || accessor.getReturnType().getPackageName().equals("dev.imagegov.spi")) {
        continue;
      }
      Object group = accessor.invoke(g);
      for (Method op : accessor.getReturnType().getDeclaredMethods()) {
        if (!Modifier.isPublic(op.getModifiers()) || Modifier.isStatic(op.getModifiers())
            || op.getParameterCount() == 0 || op.getParameterTypes()[0] != Caller.class) {
          continue;
        }
        operations++;
        String name = accessor.getName() + "." + op.getName();
        long before = metrics.timing(name).count();
        Object[] args = new Object[op.getParameterCount()];
        args[0] = PRODUCER;
        for (int i = 1; i < args.length; i++) {
          Class<?> t = op.getParameterTypes()[i];
          args[i] = t == boolean.class ? Boolean.FALSE : t.isPrimitive() ? 0 : null;
        }
        try {
          op.invoke(group, args);
        } catch (InvocationTargetException expected) {
          // refused or failed: either way it must be reported
        }
        if (metrics.timing(name).count() != before + 1) {
          unmetered.add(name + java.util.Arrays.toString(op.getParameterTypes()));
        }
      }
    }
    assertThat(operations).isGreaterThan(50);
    assertThat(unmetered).as("operations that report no outcome").isEmpty();
  }
}
