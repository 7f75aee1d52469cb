package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Byte streams with their expected size and digests ({@link ByteStream}): pseudo-random content
 * from a seed, generated lazily as it is read, so sizes of gigabytes cost no memory.
 *
 * <pre>{@code
 * qt().forAll(Streams.streams().acrossBoundariesOf(64 * 1024))
 *     .checkAssert(s -> assertThat(store.write(key, s.open(), s.size(), spec).checksum())
 *         .isEqualTo(s.md5()));
 * }</pre>
 *
 * <p>Shrinks towards the smallest allowed size (0 by default) and seed 0, and describes a stream as
 * {@code 65537 bytes (seed 3)}.
 */
public final class Streams {
  /** The default largest size of {@link #streams()}: 256 KiB. */
  public static final long DEFAULT_MAX = 256 * 1024;

  private Streams() {}

  /** {@return streams of 0 to {@link #DEFAULT_MAX} bytes} */
  public static Spec streams() {
    return new Spec(0, DEFAULT_MAX, 0);
  }

  /**
   * {@return the stream of {@code size} bytes from {@code seed}; see {@link ByteStream#of}}
   *
   * @param size the stream's length in bytes
   * @param seed the seed; the same seed gives the same values
   */
  public static ByteStream of(long size, long seed) {
    return ByteStream.of(size, seed);
  }

  /**
   * Sizes around the first multiples of {@code chunk}: 0, 1, and {@code k*chunk - 1}, {@code
   * k*chunk}, {@code k*chunk + 1} for k = 1..3, in that order (so they shrink towards 0).
   *
   * @param chunk the chunk size
   * @return the sizes, ascending
   */
  public static List<Long> boundarySizes(int chunk) {
    if (chunk < 2) {
      throw new IllegalArgumentException("chunk must be at least 2: " + chunk);
    }
    List<Long> sizes = new ArrayList<>(List.of(0L, 1L));
    for (long k = 1; k <= 3; k++) {
      sizes.add(k * chunk - 1);
      sizes.add(k * chunk);
      sizes.add(k * chunk + 1);
    }
    return sizes;
  }

  /**
   * A stream generator with constraints; immutable (every method returns a new spec) and itself a
   * {@link Gen}.
   */
  public static final class Spec implements Gen<ByteStream> {
    private final long min;
    private final long max;
    private final int chunk;
    private final Gen<ByteStream> gen;

    private Spec(long min, long max, int chunk) {
      if (min < 0 || max < min) {
        throw new IllegalArgumentException("bad size range " + min + ".." + max);
      }
      this.min = min;
      this.max = max;
      this.chunk = chunk;
      Gen<Long> seeds = longs().between(0, 1 << 20);
      Gen<Long> sizes = longs().between(min, max);
      if (chunk > 0) {
        List<Long> boundaries = new ArrayList<>();
        boundarySizes(chunk).stream().filter(s -> s >= min && s <= max).forEach(boundaries::add);
        if (!boundaries.isEmpty()) {
          sizes = Generate.pick(boundaries).mix(sizes, 30);
        }
      }
      this.gen = sizes.zip(seeds, ByteStream::of).describedAs(ByteStream::toString);
    }

    /**
     * {@return streams of {@code min} to {@code max} bytes}
     *
     * @param min the shortest stream in bytes
     * @param max the longest stream in bytes
     */
    public Spec ofSizeBetween(long min, long max) {
      return new Spec(min, max, chunk);
    }

    /**
     * {@return streams of exactly {@code size} bytes (any seed)}
     *
     * @param size the streams' length in bytes
     */
    public Spec ofSize(long size) {
      return new Spec(size, size, chunk);
    }

    /**
     * Streams whose sizes mostly (about 70%) lie on either side of the first three multiples of
     * {@code chunk} (see {@link Streams#boundarySizes}), where chunked copying and hashing go
     * wrong; the rest are anywhere in the size range, which grows to at least {@code 3*chunk+1}.
     *
     * @param chunk the chunk size whose multiples the sizes straddle
     * @return streams whose sizes mostly (about 70%) lie on either side of the first three
     *     multiples of {@code chunk} (see {@link Streams#boundarySizes}), where chunked copying and
     *     hashing go wrong; the rest are anywhere in the size range, which grows to at least {@code
     *     3*chunk+1}
     */
    public Spec acrossBoundariesOf(int chunk) {
      boundarySizes(chunk);
      return new Spec(min, Math.max(max, 3L * chunk + 1), chunk);
    }

    @Override
    public ByteStream generate(org.quicktheories.core.RandomnessSource in) {
      return gen.generate(in);
    }

    @Override
    public String asString(ByteStream t) {
      return t.toString();
    }
  }
}
