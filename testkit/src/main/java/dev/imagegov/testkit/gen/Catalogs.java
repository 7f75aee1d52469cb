package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.ProjectId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Catalog contents: lists of images with distinct ids numbered from 1 in list order, owners and
 * members drawn from a small project pool ({@link #PROJECTS}) so that images are shared between the
 * projects a query asks as, and creation times within a short span so that sorts meet ties. Shrinks
 * towards fewer, simpler images.
 */
public final class Catalogs {
  /** The projects generated catalogs draw owners and members from. */
  public static final List<ProjectId> PROJECTS = Projects.pool(Projects.DEFAULT_POOL);

  private Catalogs() {}

  /**
   * {@return catalogs of 0 to {@code maxSize} images of {@link Images#images()}, created within
   * 20s}
   *
   * @param maxSize the most images in a catalog
   */
  public static Gen<List<Image>> catalogs(int maxSize) {
    return catalogs(maxSize, Images.images().withProjects(PROJECTS).createdWithin(20));
  }

  /**
   * {@return catalogs of 0 to {@code maxSize} images drawn from {@code images}, renumbered from 1}
   *
   * @param maxSize the most images in a catalog
   * @param images draws each image
   */
  public static Gen<List<Image>> catalogs(int maxSize, Gen<Image> images) {
    if (maxSize < 0) {
      throw new IllegalArgumentException("maxSize must not be negative");
    }
    return lists()
        .of(images)
        .ofSizeBetween(0, maxSize)
        .map(Catalogs::renumber)
        .describedAs(list -> "catalog of " + list.size() + ":\n" + Images.describe(list));
  }

  /**
   * {@code images} with ids 1, 2, 3... in order (members follow their image's new id).
   *
   * @param images the images to renumber
   * @return {@code images} with ids 1, 2, 3..
   */
  public static List<Image> renumber(List<Image> images) {
    List<Image> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(withId(images.get(i), Ids.imageId(i + 1)));
    }
    return List.copyOf(out);
  }

  /**
   * {@return {@code image} under another id, its members moved along}
   *
   * @param image the image as stored
   * @param id the image's id
   */
  public static Image withId(Image image, ImageId id) {
    Map<ProjectId, Member> members = new LinkedHashMap<>();
    image.members().forEach((p, m) -> members.put(p, Member.builder().from(m).imageId(id).build()));
    return image.toBuilder().id(id).members(members).build();
  }

  /**
   * Catalogs of {@link #catalogs(int)} where about a third of the membership rows are group
   * answers (hierarchical sharing): each names as {@link Member#via()} another project of {@link
   * #PROJECTS}, which may or may not be a direct member of the image. Read with queries of {@link
   * Queries#lineageQueries()}, they exercise every case of {@link Image#membershipOf}.
   *
   * @param maxSize the most images in a catalog
   * @return catalogs with direct members and group answers
   */
  public static Gen<List<Image>> withGroupAnswers(int maxSize) {
    Gen<List<Image>> plain = catalogs(maxSize);
    Gen<ProjectId> groups = Generate.pick(PROJECTS);
    Gen<Integer> third = integers().between(0, 2);
    return new Gen<List<Image>>() {
      @Override
      public List<Image> generate(org.quicktheories.core.RandomnessSource in) {
        List<Image> out = new ArrayList<>();
        for (Image image : plain.generate(in)) {
          Map<ProjectId, Member> rows = new LinkedHashMap<>();
          for (Member m : image.members().values()) {
            ProjectId group = groups.generate(in);
            boolean answer = third.generate(in) == 0 && !group.equals(m.project());
            rows.put(m.project(), answer ? Member.builder().from(m).via(group).build() : m);
          }
          out.add(image.replacingMembers(rows));
        }
        return List.copyOf(out);
      }

      @Override
      public String asString(List<Image> list) {
        return "catalog of " + list.size() + ":\n" + Images.describe(list);
      }
    };
  }
}
