package dev.imagegov.store.memory;

import static dev.imagegov.store.memory.TestImages.T0;
import static dev.imagegov.store.memory.TestImages.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.QueryEvaluator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One million small images fit in a normal heap, and a page of a default-order list over them
 * is answered from the indexes (far faster than a scan) and equals the reference evaluator.
 */
@Tag("large")
class MemoryCatalogLargeTest {
  private static final int IMAGES = 1_000_000;
  private static final int PROJECTS = 1_000;

  @Test
  void aMillionImagesFitAndPageInTheDefaultOrder() {
    List<ProjectId> projects = new ArrayList<>(PROJECTS);
    for (int p = 0; p < PROJECTS; p++) {
      projects.add(ProjectId.of("project-" + p));
    }
    long heapBefore = usedHeap();
    MemoryCatalog catalog = new MemoryCatalog();
    for (int n = 0; n < IMAGES; n++) {
      catalog.insert(image(n, projects));
    }
    long bytesPerImage = (usedHeap() - heapBefore) / IMAGES;
    System.out.printf("MemoryCatalogLargeTest: about %d bytes per image%n", bytesPerImage);

    assertThat(catalog.size()).isEqualTo(IMAGES);
    // The images themselves with the catalog's map entries, keys and index nodes.
    assertThat(bytesPerImage).as("bytes per image").isLessThan(800);

    List<Image> live = new ArrayList<>(IMAGES);
    catalog.forEach(live::add);
    List<CatalogQuery> queries =
        List.of(
            CatalogQuery.builder().seesAll(true).build(),
            CatalogQuery.builder().project(projects.get(7)).build(),
            CatalogQuery.builder().project(projects.get(8)).memberStatus(MemberStatus.PENDING)
                .limit(10).build(),
            CatalogQuery.builder().project(projects.get(9)).marker(id(IMAGES / 2)).build(),
            CatalogQuery.builder().seesAll(true).marker(id(12_345)).limit(100).build());
    for (CatalogQuery query : queries) {
      List<Image> page = catalog.query(query);
      assertThat(page).as("%s", query).isNotEmpty()
          .containsExactlyElementsOf(QueryEvaluator.evaluate(query, live, catalog::find));
    }

    // 2,000 scans of a million images would take about a minute; indexed pages take well under
    // a second. Measured in this thread's CPU time, not wall-clock time: how busy the machine is
    // does not change it.
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assertThat(threads.isCurrentThreadCpuTimeSupported()).as("thread CPU time").isTrue();
    long start = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < 2_000; i++) {
      ProjectId caller = projects.get(i % PROJECTS);
      List<Image> page =
          catalog.query(
              CatalogQuery.builder()
                  .project(caller)
                  .marker(id(IMAGES - 1 - (i * 499L) % (IMAGES / 2)))
                  .build());
      assertThat(page).hasSize(25);
    }
    long millis = (threads.getCurrentThreadCpuTime() - start) / 1_000_000;
    System.out.printf("MemoryCatalogLargeTest: 2,000 pages in %d ms of CPU time%n", millis);
    assertThat(millis).as("CPU time of 2,000 pages in ms").isLessThan(10_000);

    catalog.delete(id(1001), 1, ImageStatus.DELETED, T0);
    assertThat(catalog.size()).isEqualTo(IMAGES - 1);
  }

  /**
   * Image n: owned by project n mod 1,000; 2% public, 1% community, 10% shared with two
   * members (one accepted, one pending), the rest private; three images per creation second.
   */
  private static Image image(int n, List<ProjectId> projects) {
    Instant created = T0.plusSeconds(n / 3);
    int kind = n % 100;
    Visibility visibility =
        kind < 2
            ? Visibility.PUBLIC
            : kind < 3 ? Visibility.COMMUNITY : kind < 13 ? Visibility.SHARED : Visibility.PRIVATE;
    var b =
        Image.builder()
            .id(id(n))
            .owner(projects.get(n % PROJECTS))
            .status(ImageStatus.ACTIVE)
            .visibility(visibility)
            .size(n % 1_000)
            .createdAt(created)
            .updatedAt(created);
    if (visibility == Visibility.SHARED) {
      ProjectId accepted = projects.get((n + 7) % PROJECTS);
      ProjectId pending = projects.get((n + 8) % PROJECTS);
      b.putMembers(accepted, member(n, accepted, MemberStatus.ACCEPTED, created))
          .putMembers(pending, member(n, pending, MemberStatus.PENDING, created));
    }
    return b.build();
  }

  private static Member member(int n, ProjectId project, MemberStatus status, Instant at) {
    return Member.builder().imageId(id(n)).project(project).status(status).createdAt(at)
        .updatedAt(at).build();
  }

  private static long usedHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
