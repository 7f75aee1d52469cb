package dev.imagegov.store.file;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The binary payloads of a version 4 snapshot: an image (record type 4) and a tombstone (type
 * 5), decoded straight from the bytes into the model (no intermediate tree, no text parsing of
 * numbers, instants or ids). The layout is in the module README (<i>Snapshot payloads, version
 * 4</i>). Decoding is strict: a value out of range, a length past the payload, an unknown code
 * or flag, or bytes left over is refused with an {@link IllegalArgumentException} naming the
 * field and the payload offset, which recovery reports as a damaged record.
 *
 * <pre>
 * varint   unsigned LEB128, at most 10 bytes (a zig-zag varint holds a signed value)
 * string   varint byte length, then that many bytes of UTF-8
 * instant  8-byte epoch second, 4-byte nanosecond (0..999 999 999), big-endian
 * id       u8 0 then 16 bytes (UUID, most significant half first), when the id is the UUID's
 *          lower-case text; else u8 1 then string
 * image    u16 flags, id, u8 status, u8 visibility, [owner, name, disk_format,
 *          container_format, checksum, os_hash_algo, os_hash_value: string, each if flagged],
 *          [size, virtual_size: varint, each if flagged], min_disk and min_ram (zig-zag varint),
 *          tags (varint n, n strings), properties (varint n, n key and value strings),
 *          locations (varint n, each store, url, metadata as properties), members (varint n,
 *          each project string, u8 status, u8 flags (1 via, 2 expires_at), via string?,
 *          created_at, updated_at, expires_at?), created_at, updated_at, version (varint &gt;= 1)
 * tombstone u8 flags (1 owner, 2 image kept), id, u8 status, owner string?, deleted_at,
 *          then the kept image if flagged
 * </pre>
 *
 * <p>Status, visibility and member-status codes are the positions in {@link #STATUSES}, {@link
 * #VISIBILITIES} and {@link #MEMBER_STATUSES}, fixed for this format version (a new value needs a
 * new one). Stateless and thread-safe.
 */
final class SnapshotCodec {
  /** Image status codes of format version 4. */
  static final ImageStatus[] STATUSES = {
    ImageStatus.QUEUED, ImageStatus.SAVING, ImageStatus.ACTIVE, ImageStatus.KILLED,
    ImageStatus.DELETED, ImageStatus.PENDING_DELETE, ImageStatus.DEACTIVATED,
    ImageStatus.UPLOADING, ImageStatus.IMPORTING
  };
  /** Visibility codes of format version 4. */
  static final Visibility[] VISIBILITIES = {
    Visibility.PUBLIC, Visibility.COMMUNITY, Visibility.SHARED, Visibility.PRIVATE
  };
  /** Member status codes of format version 4. */
  static final MemberStatus[] MEMBER_STATUSES = {
    MemberStatus.PENDING, MemberStatus.ACCEPTED, MemberStatus.REJECTED
  };

  private static final int NAME = 1;
  private static final int OWNER = 1 << 1;
  private static final int PROTECTED = 1 << 2;
  private static final int HIDDEN = 1 << 3;
  private static final int DISK_FORMAT = 1 << 4;
  private static final int CONTAINER_FORMAT = 1 << 5;
  private static final int SIZE = 1 << 6;
  private static final int VIRTUAL_SIZE = 1 << 7;
  private static final int CHECKSUM = 1 << 8;
  private static final int HASH_ALGO = 1 << 9;
  private static final int HASH_VALUE = 1 << 10;
  private static final int IMAGE_FLAGS = (1 << 11) - 1;

  private static final int MEMBER_VIA = 1;
  private static final int MEMBER_EXPIRES = 2;
  private static final int TOMBSTONE_OWNER = 1;
  private static final int TOMBSTONE_IMAGE = 2;

  private SnapshotCodec() {}

  // encoding

  /** {@return the binary payload of a snapshot image record} */
  static byte[] encode(Image image) {
    Out out = new Out();
    image(out, image);
    return out.bytes();
  }

  /** {@return the binary payload of a snapshot tombstone record, with the image it keeps} */
  static byte[] encode(Tombstone tombstone) {
    Out out = new Out();
    Optional<Image> kept = tombstone.retained();
    out.u8((tombstone.owner().isPresent() ? TOMBSTONE_OWNER : 0)
        | (kept.isPresent() ? TOMBSTONE_IMAGE : 0));
    out.id(tombstone.id());
    out.u8(code(STATUSES, tombstone.status()));
    if (tombstone.owner().isPresent()) {
      out.string(tombstone.owner().get().value());
    }
    out.instant(tombstone.deletedAt());
    if (kept.isPresent()) {
      image(out, kept.get());
    }
    return out.bytes();
  }

  private static void image(Out out, Image image) {
    int flags = (image.name().isPresent() ? NAME : 0)
        | (image.owner().isPresent() ? OWNER : 0)
        | (image.isProtected() ? PROTECTED : 0)
        | (image.osHidden() ? HIDDEN : 0)
        | (image.diskFormat().isPresent() ? DISK_FORMAT : 0)
        | (image.containerFormat().isPresent() ? CONTAINER_FORMAT : 0)
        | (image.size().isPresent() ? SIZE : 0)
        | (image.virtualSize().isPresent() ? VIRTUAL_SIZE : 0)
        | (image.checksum().isPresent() ? CHECKSUM : 0)
        | (image.osHashAlgo().isPresent() ? HASH_ALGO : 0)
        | (image.osHashValue().isPresent() ? HASH_VALUE : 0);
    out.u8(flags >>> 8);
    out.u8(flags & 0xff);
    out.id(image.id());
    out.u8(code(STATUSES, image.status()));
    out.u8(code(VISIBILITIES, image.visibility()));
    image.owner().ifPresent(o -> out.string(o.value()));
    image.name().ifPresent(out::string);
    image.diskFormat().ifPresent(out::string);
    image.containerFormat().ifPresent(out::string);
    image.checksum().ifPresent(out::string);
    image.osHashAlgo().ifPresent(out::string);
    image.osHashValue().ifPresent(out::string);
    image.size().ifPresent(out::varint);
    image.virtualSize().ifPresent(out::varint);
    out.signed(image.minDisk());
    out.signed(image.minRam());
    out.varint(image.tags().size());
    for (String tag : image.tags()) {
      out.string(tag);
    }
    out.strings(image.properties());
    out.varint(image.locations().size());
    for (Location location : image.locations()) {
      out.string(location.store().value());
      out.string(location.url());
      out.strings(location.metadata());
    }
    out.varint(image.members().size());
    for (Member member : image.members().values()) {
      out.string(member.project().value());
      out.u8(code(MEMBER_STATUSES, member.status()));
      out.u8((member.via().isPresent() ? MEMBER_VIA : 0)
          | (member.expiresAt().isPresent() ? MEMBER_EXPIRES : 0));
      member.via().ifPresent(v -> out.string(v.value()));
      out.instant(member.createdAt());
      out.instant(member.updatedAt());
      member.expiresAt().ifPresent(out::instant);
    }
    out.instant(image.createdAt());
    out.instant(image.updatedAt());
    out.varint(image.version());
  }

  private static <E> int code(E[] codes, E value) {
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] == value) {
        return i;
      }
    }
    throw new IllegalArgumentException(value + " has no code in format version 4");
  }

  /** A growing byte array. */
  private static final class Out {
    private byte[] bytes = new byte[512];
    private int length;

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    void u8(int value) {
      ensure(1);
      bytes[length++] = (byte) value;
    }

    void varint(long value) {
      ensure(10);
      long v = value;
      while ((v & ~0x7fL) != 0) {
        bytes[length++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      bytes[length++] = (byte) v;
    }

    void signed(long value) {
      varint((value << 1) ^ (value >> 63));
    }

    void fixed(long value, int size) {
      ensure(size);
      for (int i = size - 1; i >= 0; i--) {
        bytes[length++] = (byte) (value >>> (8 * i));
      }
    }

    void instant(Instant instant) {
      fixed(instant.getEpochSecond(), 8);
      fixed(instant.getNano(), 4);
    }

    void string(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      varint(utf8.length);
      ensure(utf8.length);
      System.arraycopy(utf8, 0, bytes, length, utf8.length);
      length += utf8.length;
    }

    void strings(Map<String, String> map) {
      varint(map.size());
      for (Map.Entry<String, String> e : map.entrySet()) {
        string(e.getKey());
        string(e.getValue());
      }
    }

    void id(ImageId id) {
      String text = id.value();
      UUID uuid = canonical(text);
      if (uuid != null) {
        u8(0);
        fixed(uuid.getMostSignificantBits(), 8);
        fixed(uuid.getLeastSignificantBits(), 8);
      } else {
        u8(1);
        string(text);
      }
    }

    byte[] bytes() {
      return Arrays.copyOf(bytes, length);
    }
  }

  /** The UUID whose lower-case text {@code text} is, or null if it is not one. */
  private static UUID canonical(String text) {
    try {
      UUID uuid = UUID.fromString(text);
      return uuid.toString().equals(text) ? uuid : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // decoding

  /**
   * The image of a snapshot image record.
   *
   * @throws IllegalArgumentException if the payload is not exactly one such image
   */
  static Image decodeImage(byte[] payload) {
    return decodeImage(payload, 0, payload.length);
  }

  /**
   * The image of a snapshot image record whose payload is {@code length} bytes of {@code bytes}
   * at {@code start}, read in place.
   *
   * @throws IllegalArgumentException if the payload is not exactly one such image
   */
  static Image decodeImage(byte[] bytes, int start, int length) {
    return decodeImage(bytes, start, length, Interner.Reader.PLAIN);
  }

  /**
   * The image of a snapshot image record whose payload is {@code length} bytes of {@code bytes}
   * at {@code start}, read in place, its repeated values taken from {@code dictionary}.
   *
   * @throws IllegalArgumentException if the payload is not exactly one such image
   */
  static Image decodeImage(byte[] bytes, int start, int length, Interner.Reader dictionary) {
    In in = new In(bytes, start, start + length, dictionary);
    Image image = image(in);
    in.end();
    return image;
  }

  /**
   * The tombstone of a snapshot tombstone record, with the image it keeps.
   *
   * @throws IllegalArgumentException if the payload is not exactly one such tombstone
   */
  static Tombstone decodeTombstone(byte[] payload) {
    return decodeTombstone(payload, 0, payload.length);
  }

  /**
   * The tombstone of a snapshot tombstone record whose payload is {@code length} bytes of {@code
   * bytes} at {@code start}, read in place.
   *
   * @throws IllegalArgumentException if the payload is not exactly one such tombstone
   */
  static Tombstone decodeTombstone(byte[] bytes, int start, int length) {
    return decodeTombstone(bytes, start, length, Interner.Reader.PLAIN);
  }

  /**
   * The tombstone of a snapshot tombstone record whose payload is {@code length} bytes of {@code
   * bytes} at {@code start}, read in place, its repeated values taken from {@code dictionary}.
   *
   * @throws IllegalArgumentException if the payload is not exactly one such tombstone
   */
  static Tombstone decodeTombstone(
      byte[] bytes, int start, int length, Interner.Reader dictionary) {
    In in = new In(bytes, start, start + length, dictionary);
    int flags = in.u8("tombstone flags");
    if ((flags & ~(TOMBSTONE_OWNER | TOMBSTONE_IMAGE)) != 0) {
      throw in.bad("tombstone flags", "unknown flags " + flags);
    }
    ImageId id = in.id();
    ImageStatus status = in.code(STATUSES, "tombstone status");
    Optional<ProjectId> owner = (flags & TOMBSTONE_OWNER) != 0
        ? Optional.of(in.project("owner")) : Optional.empty();
    Instant deletedAt = in.instant("deleted_at");
    Tombstone tombstone;
    try {
      tombstone = Tombstone.of(id, owner, status, deletedAt);
    } catch (RuntimeException e) {
      throw in.bad("tombstone", e.getMessage());
    }
    if ((flags & TOMBSTONE_IMAGE) != 0) {
      Image kept = image(in);
      if (status != ImageStatus.PENDING_DELETE || !kept.id().equals(id)
          || !kept.owner().equals(owner)) {
        throw in.bad("tombstone image",
            "a tombstone keeps an image only when pending_delete, and only its own");
      }
      tombstone = Tombstone.pending(kept, deletedAt);
    }
    in.end();
    return tombstone;
  }

  private static Image image(In in) {
    int flags = in.u8("image flags") << 8 | in.u8("image flags");
    if ((flags & ~IMAGE_FLAGS) != 0) {
      throw in.bad("image flags", "unknown flags " + flags);
    }
    ImageId id = in.id();
    ImageStatus status = in.code(STATUSES, "status");
    Visibility visibility = in.code(VISIBILITIES, "visibility");
    Optional<ProjectId> owner =
        (flags & OWNER) != 0 ? Optional.of(in.project("owner")) : Optional.empty();
    Optional<String> name = (flags & NAME) != 0 ? Optional.of(in.string("name")) : Optional.empty();
    Optional<String> diskFormat = (flags & DISK_FORMAT) != 0
        ? Optional.of(in.interned("disk_format")) : Optional.empty();
    Optional<String> containerFormat = (flags & CONTAINER_FORMAT) != 0
        ? Optional.of(in.interned("container_format")) : Optional.empty();
    Optional<String> checksum =
        (flags & CHECKSUM) != 0 ? Optional.of(in.string("checksum")) : Optional.empty();
    Optional<String> hashAlgo = (flags & HASH_ALGO) != 0
        ? Optional.of(in.interned("os_hash_algo")) : Optional.empty();
    Optional<String> hashValue =
        (flags & HASH_VALUE) != 0 ? Optional.of(in.string("os_hash_value")) : Optional.empty();
    OptionalLong size =
        (flags & SIZE) != 0 ? OptionalLong.of(in.varint("size")) : OptionalLong.empty();
    OptionalLong virtualSize = (flags & VIRTUAL_SIZE) != 0
        ? OptionalLong.of(in.varint("virtual_size")) : OptionalLong.empty();
    int minDisk = in.int32("min_disk");
    int minRam = in.int32("min_ram");
    try {
      ImmutableSet<String> tags = tags(in);
      ImmutableMap<String, String> properties = strings(in, "properties key", "properties value",
          in.count("properties"));
      ImmutableList<Location> locations = locations(in);
      ImmutableMap<ProjectId, Member> members = members(in, id);
      Instant createdAt = in.instant("created_at");
      Instant updatedAt = in.instant("updated_at");
      long version = in.varint("version");
      if (version < 1) {
        throw in.bad("version", "an image's version is at least 1, not " + version);
      }
      return Image.of(id, name, status, visibility, owner, (flags & PROTECTED) != 0,
          (flags & HIDDEN) != 0, diskFormat, containerFormat, size, virtualSize, checksum,
          hashAlgo, hashValue, minDisk, minRam, tags, properties, locations, members, createdAt,
          updatedAt, version);
    } catch (Malformed e) {
      throw e;
    } catch (RuntimeException e) {
      throw in.bad("image", e.getMessage());
    }
  }

  private static ImmutableSet<String> tags(In in) {
    int n = in.count("tags");
    switch (n) {
      case 0:
        return ImmutableSet.of();
      case 1:
        return ImmutableSet.of(in.interned("tags[]"));
      default:
        String[] tags = new String[n];
        for (int i = 0; i < n; i++) {
          tags[i] = in.interned("tags[]");
        }
        return ImmutableSet.copyOf(tags);
    }
  }

  /** {@code n} pairs of interned strings; a repeated key is refused, as a builder refuses it. */
  private static ImmutableMap<String, String> strings(In in, String key, String value, int n) {
    if (n == 0) {
      return ImmutableMap.of();
    }
    ImmutableMap.Builder<String, String> map = ImmutableMap.builderWithExpectedSize(n);
    for (int i = 0; i < n; i++) {
      map.put(in.interned(key), in.interned(value));
    }
    return map.buildOrThrow();
  }

  private static ImmutableList<Location> locations(In in) {
    int n = in.count("locations");
    if (n == 0) {
      return ImmutableList.of();
    }
    ImmutableList.Builder<Location> locations = ImmutableList.builderWithExpectedSize(n);
    for (int i = 0; i < n; i++) {
      Location.Builder location = Location.builder()
          .store(in.store("location store"))
          .url(in.string("location url"));
      for (int m = in.count("location metadata"); m > 0; m--) {
        location.putMetadata(in.interned("metadata key"), in.interned("metadata value"));
      }
      locations.add(location.build());
    }
    return locations.build();
  }

  private static ImmutableMap<ProjectId, Member> members(In in, ImageId id) {
    int n = in.count("members");
    if (n == 0) {
      return ImmutableMap.of();
    }
    ImmutableMap.Builder<ProjectId, Member> members = ImmutableMap.builderWithExpectedSize(n);
    for (int i = 0; i < n; i++) {
      ProjectId project = in.project("member_id");
      MemberStatus status = in.code(MEMBER_STATUSES, "member status");
      int memberFlags = in.u8("member flags");
      if ((memberFlags & ~(MEMBER_VIA | MEMBER_EXPIRES)) != 0) {
        throw in.bad("member flags", "unknown flags " + memberFlags);
      }
      Member.Builder member = Member.builder().imageId(id).project(project).status(status);
      if ((memberFlags & MEMBER_VIA) != 0) {
        member.via(in.project("via"));
      }
      member.createdAt(in.instant("member created_at")).updatedAt(in.instant("member updated_at"));
      if ((memberFlags & MEMBER_EXPIRES) != 0) {
        member.expiresAt(in.instant("expires_at"));
      }
      members.put(project, member.build());
    }
    return members.buildOrThrow();
  }

  /** A payload that does not decode, naming the field and the offset. */
  private static final class Malformed extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** Strict reading of one payload: bytes {@code start} (inclusive) to {@code end}. */
  private static final class In {
    private final byte[] bytes;
    private final int start;
    private final int end;
    private final Interner.Reader dictionary;
    private int at;

    In(byte[] bytes, int start, int end, Interner.Reader dictionary) {
      this.bytes = bytes;
      this.start = start;
      this.end = end;
      this.dictionary = dictionary;
      this.at = start;
    }

    IllegalArgumentException bad(String field, String what) {
      return new Malformed(String.format(Locale.ROOT,
          "'%s' at payload offset %d: %s", field, at - start, what));
    }

    private void need(int n, String field) {
      if (n > end - at) {
        throw bad(field, "the payload ends " + (n - (end - at)) + " bytes early");
      }
    }

    int u8(String field) {
      need(1, field);
      return bytes[at++] & 0xff;
    }

    long fixed(int size, String field) {
      need(size, field);
      long v = 0;
      for (int i = 0; i < size; i++) {
        v = (v << 8) | (bytes[at++] & 0xff);
      }
      return v;
    }

    long varint(String field) {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8(field);
        if (shift == 63 && (b & 0x7e) != 0) {
          break;
        }
        v |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw bad(field, "a varint longer than 64 bits");
    }

    int int32(String field) {
      long zigzag = varint(field);
      long v = (zigzag >>> 1) ^ -(zigzag & 1);
      if (v != (int) v) {
        throw bad(field, "out of range: " + v);
      }
      return (int) v;
    }

    int count(String field) {
      long n = varint(field);
      // Each element takes at least one byte: a larger count is damage, not an allocation.
      if (n > end - at) {
        throw bad(field, "a count of " + n + " past the payload's end");
      }
      return (int) n;
    }

    String string(String field) {
      int n = length(field);
      String s = new String(bytes, at, n, StandardCharsets.UTF_8);
      at += n;
      return s;
    }

    /** A string that often repeats across images, shared through the dictionary. */
    String interned(String field) {
      int n = length(field);
      String s = dictionary.string(bytes, at, n);
      at += n;
      return s;
    }

    ProjectId project(String field) {
      int n = length(field);
      ProjectId p = dictionary.project(bytes, at, n);
      at += n;
      return p;
    }

    StoreId store(String field) {
      int n = length(field);
      StoreId s = dictionary.store(bytes, at, n);
      at += n;
      return s;
    }

    /** The byte length of a string, checked against the payload's end. */
    private int length(String field) {
      long n = varint(field);
      if (n > end - at) {
        throw bad(field, "a string of " + n + " bytes past the payload's end");
      }
      return (int) n;
    }

    Instant instant(String field) {
      long seconds = fixed(8, field);
      long nanos = fixed(4, field);
      if (nanos > 999_999_999) {
        throw bad(field, "nanoseconds out of range: " + nanos);
      }
      try {
        return Instant.ofEpochSecond(seconds, nanos);
      } catch (java.time.DateTimeException e) {
        throw bad(field, e.getMessage());
      }
    }

    <E> E code(E[] codes, String field) {
      int code = u8(field);
      if (code >= codes.length) {
        throw bad(field, "unknown code " + code);
      }
      return codes[code];
    }

    ImageId id() {
      int kind = u8("id");
      if (kind == 0) {
        return ImageId.of(new UUID(fixed(8, "id"), fixed(8, "id")));
      }
      if (kind != 1) {
        throw bad("id", "unknown id kind " + kind);
      }
      String text = string("id");
      if (!ImageId.isValid(text)) {
        throw bad("id", "not a UUID: " + text);
      }
      return ImageId.of(text);
    }

    void end() {
      if (at != end) {
        throw bad("payload", (end - at) + " bytes follow the record");
      }
    }
  }
}
