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

class MergingIteratorTest {
  private static <T> List<T> drain(Iterator<T> iterator) {
    List<T> out = new ArrayList<>();
    iterator.forEachRemaining(out::add);
    return out;
  }

  @Test
  void mergesSortedSourcesAndYieldsSharedElementsOnce() {
    Iterator<Integer> merged =
        new MergingIterator<>(
            List.of(List.of(9, 5, 1).iterator(), List.<Integer>of().iterator(),
                List.of(8, 5, 2, 1).iterator()),
            Comparator.<Integer>reverseOrder());

    assertThat(drain(merged)).containsExactly(9, 8, 5, 2, 1);
  }

  @Test
  void anExhaustedMergeHasNoNext() {
    Iterator<Integer> merged = new MergingIterator<>(List.of(), Comparator.<Integer>naturalOrder());

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
              assertThat(drain(new MergingIterator<>(iterators, Comparator.naturalOrder())))
                  .containsExactlyElementsOf(union);
            });
  }
}
