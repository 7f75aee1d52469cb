package dev.imagegov.image.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.internal.Attributes.Via;
import dev.imagegov.model.ImageStatus;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The attribute table's rules and Glance's messages, each door asked directly. */
class AttributesTest {
  private static final Attributes TABLE = Attributes.of(List.of("raw", "qcow2"), List.of("bare"));
  private static final String EMOJI = "\uD83D\uDE00";

  private static void fails(ErrorCode code, String message, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            GovernanceException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(message);
  }

  @Test
  void negativeMinDiskHasGlanceDomainMessageOnBothDoors() {
    for (Via via : Via.values()) {
      fails(StoreErrorCode.INVALID_VALUE,
          "Invalid value '-1' for parameter 'min_disk': Cannot be a negative value",
          () -> TABLE.check(via, ImageStatus.QUEUED, "min_disk", -1L));
    }
  }

  @Test
  void minRamOverTwoToThe31HasGlanceDatabaseMessage() {
    fails(StoreErrorCode.INVALID_VALUE, "'min_ram' value out of range, must not exceed 2147483647.",
        () -> Attributes.checkRange("min_ram", 1L << 31));
    assertThat(Attributes.checkRange("min_ram", Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void fourByteMessagesNameTheFieldAsPythonTitleDoes() {
    fails(StoreErrorCode.INVALID_VALUE, "Name can't contain 4 byte unicode characters.",
        () -> TABLE.check(Via.PATCH, ImageStatus.ACTIVE, "name", EMOJI));
    fails(StoreErrorCode.INVALID_VALUE, "Os_Distro can't contain 4 byte unicode characters.",
        () -> Attributes.checkProperty(Via.CREATE, "os_distro", EMOJI));
    fails(StoreErrorCode.INVALID_VALUE, "Hw2Disk can't contain 4 byte unicode characters.",
        () -> Attributes.checkProperty(Via.PATCH, "hw2DISK", EMOJI));
    fails(StoreErrorCode.INVALID_VALUE, "Property names can't contain 4 byte unicode.",
        () -> Attributes.checkProperty(Via.PATCH, "k" + EMOJI, "v"));
    fails(StoreErrorCode.INVALID_VALUE, "Param values can't contain 4 byte unicode.",
        () -> Attributes.tag(EMOJI));
  }

  @Test
  void disallowedNamesAreReadOnlyOnCreateAsOnPatch() {
    for (String name : List.of("direct_url", "self", "file", "schema")) {
      for (Via via : Via.values()) {
        fails(RuleCode.READ_ONLY_ATTRIBUTE, "Attribute '" + name + "' is read-only.",
            () -> Attributes.checkProperty(via, name, "v"));
      }
    }
  }

  @Test
  void storesIsReadOnlyOnCreateAndACustomPropertyOnPatch() {
    fails(RuleCode.READ_ONLY_ATTRIBUTE, "Attribute 'stores' is read-only.",
        () -> Attributes.checkProperty(Via.CREATE, "stores", "v"));
    assertThat(Attributes.checkProperty(Via.PATCH, "stores", "v")).isEqualTo("v");
  }

  @Test
  void theReservedNamespaceIsReservedOnBothDoors() {
    for (Via via : Via.values()) {
      fails(RuleCode.RESERVED_ATTRIBUTE, "Attribute 'os_glance_x' is reserved.",
          () -> TABLE.check(via, ImageStatus.QUEUED, "os_glance_x", "v"));
    }
  }

  @Test
  void formatsChangeOnlyWhileQueuedOrImporting() {
    TABLE.check(Via.PATCH, ImageStatus.IMPORTING, "disk_format", "raw");
    fails(RuleCode.STATUS_FORBIDS,
        "Attribute container_format can be only replaced for a queued image.",
        () -> TABLE.check(Via.PATCH, ImageStatus.ACTIVE, "container_format", "bare"));
    fails(StoreErrorCode.INVALID_VALUE, "Invalid disk_format 'floppy': it must be one of [raw, qcow2].",
        () -> TABLE.check(Via.CREATE, ImageStatus.QUEUED, "disk_format", "floppy"));
  }

  @Test
  void perImageQuotasHaveGlanceMessages() {
    fails(RuleCode.PROPERTY_QUOTA_EXCEEDED,
        "The limit has been exceeded on the number of allowed image properties. Attempted: 2,"
            + " Maximum: 1",
        () -> Attributes.checkPropertyQuota(
            new java.util.LinkedHashSet<>(List.of("a", "b", "os_glance_import_task")), 1));
    Attributes.checkPropertyQuota(java.util.Set.of("a", "b"), -1);
  }
}
