package dev.imagegov.bench;

import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.QueryEvaluator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The fair baseline of a list page: for each consumer, the images its list shows kept in one
 * sorted structure of their own ({@code TreeSet} in the list's order), so a first page is a seek
 * to the set's first element and a walk of {@code limit} elements. This is
 * the cheapest structure a store could answer one known query of one known caller from: no
 * visibility check, no filter, no merge of several indexes, nothing per row but the copy into the
 * page. A catalog's page over this baseline is the price of answering every caller and every
 * query from one set of shared indexes.
 *
 * <p>Built once from a catalog and the caller-bound queries of its consumers, in one pass over
 * the catalog: an image goes into the set of every consumer whose query {@link
 * QueryEvaluator#matches matches} it, ordered by {@link QueryEvaluator#ordering} of that query
 * (the order the catalog lists in). Candidates are limited to the consumers a default list can
 * show the image to (everyone for a public image, else its owner and its members); the
 * construction then checks, for every consumer, that its first page equals the catalog's answer
 * to the same query, so the baseline answers exactly what the measured page answers.
 */
final class SortedSetLists {
  private final List<NavigableSet<Image>> sets = new ArrayList<>();
  private final int limit;

  /**
   * Builds one sorted set per query and checks each first page against {@code catalog}.
   *
   * @param catalog the catalog whose images are listed
   * @param queries one caller-bound default-list query per consumer (each with a project, no
   *     filters beyond visibility)
   */
  SortedSetLists(Catalog catalog, CatalogQuery[] queries) {
    Map<ProjectId, List<Integer>> consumers = new HashMap<>();
    for (int c = 0; c < queries.length; c++) {
      sets.add(new TreeSet<>(QueryEvaluator.ordering(queries[c])));
      consumers.computeIfAbsent(queries[c].project().orElseThrow(), k -> new ArrayList<>()).add(c);
    }
    limit = queries[0].limit();
    catalog.forEach(image -> {
      if (image.visibility() == Visibility.PUBLIC) {
        for (int c = 0; c < queries.length; c++) {
          add(queries[c], c, image);
        }
        return;
      }
      image.owner().ifPresent(owner -> addAll(consumers.get(owner), queries, image));
      for (ProjectId member : image.members().keySet()) {
        addAll(consumers.get(member), queries, image);
      }
    });
    for (int c = 0; c < queries.length; c++) {
      List<Image> expected = catalog.query(queries[c]);
      if (!page(c).equals(expected)) {
        throw new IllegalStateException("sorted set and catalog disagree for consumer " + c);
      }
    }
  }

  private void addAll(List<Integer> candidates, CatalogQuery[] queries, Image image) {
    if (candidates != null) {
      for (int c : candidates) {
        add(queries[c], c, image);
      }
    }
  }

  private void add(CatalogQuery query, int consumer, Image image) {
    if (QueryEvaluator.matches(query, image)) {
      sets.get(consumer).add(image);
    }
  }

  /**
   * How many images consumer {@code c}'s list holds.
   *
   * @param c the consumer's index in the queries
   * @return the size of its set
   */
  int size(int c) {
    return sets.get(c).size();
  }

  /**
   * The first page of consumer {@code c}: the first {@code limit} elements of its set.
   *
   * @param c the consumer's index in the queries
   * @return the page, in the list's order
   */
  List<Image> page(int c) {
    Iterator<Image> it = sets.get(c).iterator();
    List<Image> page = new ArrayList<>(limit);
    while (page.size() < limit && it.hasNext()) {
      page.add(it.next());
    }
    return page;
  }
}
