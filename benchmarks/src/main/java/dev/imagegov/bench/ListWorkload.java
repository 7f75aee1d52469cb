package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.query.ListQueryParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.CatalogQuery;

/**
 * The callers and queries the list benchmarks use, on any store: 256 member projects spread over
 * all projects (with the {@code CatalogQuery} the facade builds for each from an empty request)
 * and the one project whose whole list the walk follows. Building it checks that every first
 * page holds 25 rows and that the walk finds exactly what the dataset says.
 */
final class ListWorkload {
  static final int CALLERS = 256;

  final Caller[] callers = new Caller[CALLERS];
  final CatalogQuery[] queries = new CatalogQuery[CALLERS];
  final Caller walker;

  ListWorkload(Dataset dataset, ImageGovernance governance) {
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
    int walked = ListBenchmark.walkAll(governance, walker);
    if (walked != expected) {
      throw new IllegalStateException("walked " + walked + " images, expected " + expected);
    }
  }
}
