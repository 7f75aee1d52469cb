package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.query.ListQueryParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import java.util.List;
import java.util.Optional;

/**
 * The callers and queries the list benchmarks use, on any store: 256 member projects spread over
 * all projects (with the {@code CatalogQuery} the facade builds for each from an empty request)
 * and the one project whose whole list the walk follows. Building it checks that every first
 * page holds 25 rows and that the walk finds exactly what the dataset says. The list
 * benchmarks of each store measure its {@link #page}, {@link #catalogPage} and {@link #walk}.
 */
final class ListWorkload {
  static final int CALLERS = 256;

  final Caller[] callers = new Caller[CALLERS];
  final CatalogQuery[] queries = new CatalogQuery[CALLERS];
  final Caller walker;
  private final ImageGovernance governance;
  private int next;

  ListWorkload(Dataset dataset, ImageGovernance governance) {
    this.governance = governance;
    CatalogQuery parsed = ListQueryParser.glanceDefaults().parse(ListRequest.empty());
    for (int i = 0; i < CALLERS; i++) {
      int project = i * dataset.projects() / CALLERS;
      callers[i] = Caller.member(Dataset.projectName(project));
      queries[i] =
          CatalogQuery.builder()
              .from(parsed)
              .seesAll(false)
              .project(Dataset.project(project))
              .build();
      int rows = governance.images().list(callers[i], ListRequest.empty()).images().size();
      if (rows != 25) {
        throw new IllegalStateException("first page of caller " + i + " holds " + rows + " rows");
      }
    }
    int walkProject = dataset.projects() / 2;
    walker = Caller.member(Dataset.projectName(walkProject));
    int expected = dataset.defaultListSize(walkProject);
    int walked = walkAll(governance, walker);
    if (walked != expected) {
      throw new IllegalStateException("walked " + walked + " images, expected " + expected);
    }
  }

  /** The first page of the next member project's default list, through the facade. */
  ImageList page() {
    return governance.images().list(callers[next++ & (CALLERS - 1)], ListRequest.empty());
  }

  /**
   * The catalog's part of {@link #page}: the same query ({@code CatalogQuery} as the facade
   * builds it from an empty request) answered by {@code catalog} directly, without the facade's
   * policy check per row, view and links.
   */
  List<Image> catalogPage(Catalog catalog) {
    return catalog.query(queries[next++ & (CALLERS - 1)]);
  }

  /** Every page of the walker's default list; answers the number of images. */
  int walk() {
    return walkAll(governance, walker);
  }

  static int walkAll(ImageGovernance governance, Caller caller) {
    int rows = 0;
    ListRequest request = ListRequest.empty();
    while (true) {
      ImageList page = governance.images().list(caller, request);
      rows += page.images().size();
      Optional<ImageId> marker = page.nextMarker();
      if (marker.isEmpty()) {
        return rows;
      }
      request = ListRequest.empty().with("marker", marker.get().value());
    }
  }
}
