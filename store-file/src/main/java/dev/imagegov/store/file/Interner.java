package dev.imagegov.store.file;

import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The dictionary of one catalog open: the values that repeat across images (project ids of
 * owners and members, store ids, formats, hash algorithms, tags, property keys and short values)
 * decoded once into one shared object each, so a million images hold a few thousand owner ids,
 * not a million copies, and the bulk load's hash lookups of an owner find it by identity.
 *
 * <p>{@link #reader} gives each decoding thread its own front cache, read without locking or
 * allocation on a hit: a direct-mapped table of the last value seen per hash of the bytes,
 * compared byte for byte. A miss decodes the text and takes the shared, thread-safe canonical
 * object (at most {@link #SHARED_LIMIT} per kind; past it a value is decoded but not shared), so
 * every thread returns the same object for the same text. Values longer than {@link #MAX_BYTES}
 * are never interned (they seldom repeat).
 */
final class Interner {
  /** The longest value interned, in bytes of UTF-8. */
  static final int MAX_BYTES = 64;
  /** The most canonical values kept per kind. */
  static final int SHARED_LIMIT = 1 << 20;
  private static final int FRONT_SLOTS = 1 << 12;

  private final Shared<String> strings = new Shared<>(s -> s);
  private final Shared<ProjectId> projects = new Shared<>(ProjectId::of);
  private final Shared<StoreId> stores = new Shared<>(StoreId::of);

  /** {@return a new front cache of this dictionary, for one thread} */
  Reader reader() {
    return new Reader(this);
  }

  /** Canonical values of one kind, by their text. */
  private static final class Shared<T> {
    private final ConcurrentHashMap<String, T> values = new ConcurrentHashMap<>();
    private final Function<String, T> make;

    Shared(Function<String, T> make) {
      this.make = make;
    }

    T of(String text) {
      T known = values.get(text);
      if (known != null) {
        return known;
      }
      T made = make.apply(text);
      if (values.size() >= SHARED_LIMIT) {
        return made;
      }
      T raced = values.putIfAbsent(text, made);
      return raced == null ? made : raced;
    }
  }

  /** A per-thread front cache of values of one kind: the last value per hash slot. */
  private static final class Front<T> {
    private final byte[][] keys = new byte[FRONT_SLOTS][];
    private final Object[] values = new Object[FRONT_SLOTS];
    private final Shared<T> shared;

    Front(Shared<T> shared) {
      this.shared = shared;
    }

    @SuppressWarnings("unchecked")
    T get(byte[] bytes, int at, int length) {
      int h = 0;
      for (int i = at, end = at + length; i < end; i++) {
        h = 31 * h + bytes[i];
      }
      int slot = (h ^ (h >>> 16)) & (FRONT_SLOTS - 1);
      byte[] key = keys[slot];
      if (key != null && key.length == length
          && Arrays.equals(key, 0, length, bytes, at, at + length)) {
        return (T) values[slot];
      }
      T value = shared.of(new String(bytes, at, length, StandardCharsets.UTF_8));
      keys[slot] = Arrays.copyOfRange(bytes, at, at + length);
      values[slot] = value;
      return value;
    }
  }

  /**
   * One thread's view of the dictionary; not thread-safe. Each method answers the value of the
   * {@code length} bytes of UTF-8 at {@code at}.
   */
  static final class Reader {
    /** A reader that shares nothing: every value decoded afresh. */
    static final Reader PLAIN = new Reader(null);

    private final @Nullable Front<String> strings;
    private final @Nullable Front<ProjectId> projects;
    private final @Nullable Front<StoreId> stores;

    private Reader(@Nullable Interner interner) {
      strings = interner == null ? null : new Front<>(interner.strings);
      projects = interner == null ? null : new Front<>(interner.projects);
      stores = interner == null ? null : new Front<>(interner.stores);
    }

    String string(byte[] bytes, int at, int length) {
      return strings == null || length > MAX_BYTES
          ? text(bytes, at, length)
          : strings.get(bytes, at, length);
    }

    ProjectId project(byte[] bytes, int at, int length) {
      return projects == null || length > MAX_BYTES
          ? ProjectId.of(text(bytes, at, length))
          : projects.get(bytes, at, length);
    }

    StoreId store(byte[] bytes, int at, int length) {
      return stores == null || length > MAX_BYTES
          ? StoreId.of(text(bytes, at, length))
          : stores.get(bytes, at, length);
    }

    private static String text(byte[] bytes, int at, int length) {
      return new String(bytes, at, length, StandardCharsets.UTF_8);
    }
  }
}
