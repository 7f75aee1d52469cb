package dev.imagegov.data.inspect;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** What one probe found: its format matched, the virtual size it read, what it found unsafe. */
final class Finding {
  final ImageFormat format;
  OptionalLong virtualSize = OptionalLong.empty();
  private final List<String> violations = new ArrayList<>();

  Finding(ImageFormat format) {
    this.format = format;
  }

  Finding size(long bytes) {
    virtualSize = bytes >= 0 ? OptionalLong.of(bytes) : OptionalLong.empty();
    return this;
  }

  Finding violation(String message) {
    violations.add(format.diskFormat() + ": " + message);
    return this;
  }

  ImmutableList<String> violations() {
    return ImmutableList.copyOf(violations);
  }
}
