package dev.imagegov.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The merge of sorted sources. Sources share equal elements by identity, as the catalog's indexes
 * share an image's slot: the boxed integers here are all between -128 and 127, which the language
 * guarantees to box to one shared instance per value.
 */
class MergingIteratorTest {
  private static <T> List<T> drain(Iterator<T> iterator) {
    List<T> out = new ArrayList<>();
    iterator.forEachRemaining(out::add);
    return out;
  }

  @Test
  void mergesSortedSourcesAndYieldsSharedElementsOnce() {
    Iterator<Integer> merged =
        MergingIterator.of(
            List.of(List.of(9, 5, 1).iterator(), List.<Integer>of().iterator(),
                List.of(8, 5, 2, 1).iterator()),
            Comparator.<Integer>reverseOrder());

    assertThat(drain(merged)).containsExactly(9, 8, 5, 2, 1);
  }

  @Test
  void aSingleSourceIsReadAsItIs() {
    Iterator<Integer> source = List.of(3, 2, 1).iterator();

    assertThat(MergingIterator.of(List.of(source), Comparator.<Integer>reverseOrder()))
        .isSameAs(source);
  }

  @Test
  void anExhaustedMergeHasNoNext() {
    Iterator<Integer> merged = MergingIterator.of(List.of(), Comparator.<Integer>naturalOrder());

    assertThat(merged.hasNext()).isFalse();
    assertThatThrownBy(merged::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void theMergeOfSortedSetsIsTheSortedUnion() {
    qt().forAll(lists().of(lists().of(integers().between(0, 50)).ofSizeBetween(0, 20))
            .ofSizeBetween(0, 6))
        .checkAssert(
            sources -> {
              List<Iterator<Integer>> iterators = new ArrayList<>();
              TreeSet<Integer> union = new TreeSet<>();
              for (List<Integer> source : sources) {
                iterators.add(new TreeSet<>(source).iterator());
                union.addAll(source);
              }
              assertThat(drain(MergingIterator.of(iterators, Comparator.naturalOrder())))
                  .containsExactlyElementsOf(union);
            });
  }
}
