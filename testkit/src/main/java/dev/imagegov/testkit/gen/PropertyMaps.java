package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Custom property maps. By default keys are ordinary custom names ({@code k0}, {@code hw_disk_bus},
 * ...); {@link Spec#withReservedKeys()} mixes in Glance's reserved namespace ({@code os_glance_*})
 * and {@link Spec#withBaseAttributeNames()} mixes in names of base and reserved attributes ({@code
 * name}, {@code owner}, {@code locations}, ...), which create must refuse. Shrinks towards the
 * empty map.
 */
public final class PropertyMaps {
  /** Ordinary custom property keys. */
  public static final List<String> CUSTOM_KEYS =
      List.of("k0", "k1", "hw_disk_bus", "os_distro", "architecture");

  /** Keys in Glance's reserved namespace. */
  public static final List<String> RESERVED_KEYS =
      List.of("os_glance_import_task", "os_glance_stale_migration", "os_glance_failed_import");

  /** Names of base, read-only and reserved attributes that are not custom properties. */
  public static final List<String> BASE_ATTRIBUTE_NAMES =
      List.of(
          "id",
          "name",
          "status",
          "visibility",
          "owner",
          "protected",
          "os_hidden",
          "checksum",
          "size",
          "virtual_size",
          "min_disk",
          "min_ram",
          "disk_format",
          "container_format",
          "created_at",
          "updated_at",
          "tags",
          "locations",
          "location",
          "direct_url",
          "self",
          "file",
          "schema",
          "deleted",
          "deleted_at",
          "os_hash_algo",
          "os_hash_value",
          "stores");

  /** The values properties take. */
  public static final List<String> VALUES = List.of("x", "y", "virtio", "ubuntu", "x86_64");

  private PropertyMaps() {}

  /** {@return maps of 0 to 3 ordinary custom properties} */
  public static Spec properties() {
    return new Spec(0, 3, false, false);
  }

  /** A property-map generator: immutable, each method returns a new spec. Itself a {@link Gen}. */
  public static final class Spec implements Gen<Map<String, String>> {
    private final int min;
    private final int max;
    private final boolean reserved;
    private final boolean base;

    private Spec(int min, int max, boolean reserved, boolean base) {
      if (min < 0 || max < min) {
        throw new IllegalArgumentException("bad size range " + min + ".." + max);
      }
      this.min = min;
      this.max = max;
      this.reserved = reserved;
      this.base = base;
    }

    /**
     * {@return maps of {@code min} to {@code max} entries (fewer if the key pool is smaller)}
     *
     * @param min the fewest entries
     * @param max the most entries
     */
    public Spec ofSizeBetween(int min, int max) {
      return new Spec(min, max, reserved, base);
    }

    /** {@return also draws keys from the reserved {@code os_glance_*} namespace} */
    public Spec withReservedKeys() {
      return new Spec(min, max, true, base);
    }

    /** {@return also draws base and reserved attribute names as keys} */
    public Spec withBaseAttributeNames() {
      return new Spec(min, max, reserved, true);
    }

    /** {@return the keys this spec draws from: custom keys first (they are where it shrinks to)} */
    public List<String> keyPool() {
      List<String> keys = new ArrayList<>(CUSTOM_KEYS);
      if (reserved) {
        keys.addAll(RESERVED_KEYS);
      }
      if (base) {
        keys.addAll(BASE_ATTRIBUTE_NAMES);
      }
      return List.copyOf(keys);
    }

    private Gen<Map<String, String>> delegate() {
      Gen<Map.Entry<String, String>> entry =
          Generate.pick(keyPool()).zip(Generate.pick(VALUES), Map::entry);
      return lists()
          .of(entry)
          .ofSizes(integers().between(min, max))
          .map(
              entries -> {
                Map<String, String> m = new LinkedHashMap<>();
                entries.forEach(e -> m.put(e.getKey(), e.getValue()));
                return m;
              });
    }

    @Override
    public Map<String, String> generate(RandomnessSource in) {
      return delegate().generate(in);
    }

    @Override
    public String asString(Map<String, String> value) {
      return value.toString();
    }
  }
}
