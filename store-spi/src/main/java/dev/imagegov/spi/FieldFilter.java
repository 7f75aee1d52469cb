package dev.imagegov.spi;

import dev.imagegov.model.Image;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A condition on one base attribute: {@code field op operand} ({@code IN} takes one or more
 * operands, every other operator exactly one). Operands have the field's {@link
 * ImageField#type() type}. A filter on an absent value never matches.
 */
@Value.Immutable
public abstract class FieldFilter {
  /** {@return the attribute} */
  public abstract ImageField field();

  /** {@return the comparison} */
  public abstract FilterOperator operator();

  /** {@return the operand(s), of the field's type} */
  public abstract List<Object> operands();

  /**
   * {@return a filter}
   *
   * @param field the base attribute compared
   * @param operator how the attribute is compared
   * @param operands the values compared with, of the field's value type: one, or several for {@link
   *     FilterOperator#IN}
   */
  public static FieldFilter of(ImageField field, FilterOperator operator, List<?> operands) {
    return ImmutableFieldFilter.builder()
        .field(field)
        .operator(operator)
        .addAllOperands(operands)
        .build();
  }

  /**
   * {@return an equality filter}
   *
   * @param field the base attribute compared
   * @param operand the value the attribute must equal, of the field's value type
   */
  public static FieldFilter eq(ImageField field, Object operand) {
    return of(field, FilterOperator.EQ, List.of(operand));
  }

  /**
   * {@return whether {@code image} satisfies this filter}
   *
   * @param image the image as stored
   */
  @SuppressWarnings("unchecked")
  public boolean test(Image image) {
    Optional<Comparable<Object>> value = field().valueOf(image);
    if (value.isEmpty()) {
      return false;
    }
    for (Object operand : operands()) {
      if (operator().accepts(value.get().compareTo(operand))) {
        return true;
      }
    }
    return false;
  }

  @Value.Check
  void check() {
    if (operands().isEmpty()) {
      throw new IllegalArgumentException("a filter needs at least one operand");
    }
    if (operator() != FilterOperator.IN && operands().size() != 1) {
      throw new IllegalArgumentException(operator() + " takes exactly one operand");
    }
    for (Object o : operands()) {
      if (!field().type().isInstance(o)) {
        throw new IllegalArgumentException(
            "operand " + o + " of " + field() + " must be a " + field().type().getSimpleName());
      }
    }
  }
}
