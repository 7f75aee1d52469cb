package dev.imagegov.testkit.assertions;

import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.access.Action;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.query.ListRequest;
import dev.imagegov.testkit.gen.Callers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Assertions on what one caller may do with a governance. Every failure message says what was
 * expected, what happened, and why: the governance's own {@code access().explain(...)} for the
 * image concerned.
 */
public final class CallerAssert {
  /** The list that shows everything a caller may list. */
  public static final ListRequest EVERYTHING =
      ListRequest.parse("visibility=all&member_status=all");

  private final ImageGovernance governance;
  private final Caller caller;

  CallerAssert(ImageGovernance governance, Caller caller) {
    this.governance = governance;
    this.caller = caller;
  }

  /**
   * {@return the caller gets the image by id}
   *
   * @param id the image's id
   */
  public CallerAssert canGet(ImageId id) {
    Optional<GovernanceException> refusal = attempt(() -> governance.images().get(caller, id));
    if (refusal.isPresent()) {
      throw failure(
          "Expected "
              + who()
              + " to get image "
              + id
              + ", but get answered "
              + describe(refusal.get()),
          id,
          Action.GET);
    }
    return this;
  }

  /**
   * {@return get by id answers not found (404) for the caller}
   *
   * @param id the image's id
   */
  public CallerAssert cannotGet(ImageId id) {
    Optional<GovernanceException> refusal = attempt(() -> governance.images().get(caller, id));
    if (refusal.isEmpty() || refusal.get().code() != StoreErrorCode.IMAGE_NOT_FOUND) {
      throw failure(
          "Expected get of image "
              + id
              + " by "
              + who()
              + " to answer IMAGE_NOT_FOUND (404), but it "
              + refusal.map(e -> "answered " + describe(e)).orElse("returned the image"),
          id,
          Action.GET);
    }
    return this;
  }

  /**
   * The image does not exist for the caller: get answers not found, and no list shows it, not even
   * {@code visibility=all&member_status=all}.
   *
   * @param id the image's id
   * @return the image does not exist for the caller: get answers not found, and no list shows it,
   *     not even {@code visibility=all&member_status=all}
   */
  public CallerAssert cannotSee(ImageId id) {
    cannotGet(id);
    for (ListRequest request : List.of(ListRequest.empty(), EVERYTHING)) {
      List<ImageId> listed = listAll(request);
      if (listed.contains(id)) {
        throw failure(
            "Expected "
                + who()
                + " not to see image "
                + id
                + ", but the list ?"
                + request.toQueryString()
                + " shows it",
            id,
            Action.GET);
      }
    }
    return this;
  }

  /**
   * {@return the default list (every page) shows these images, among others}
   *
   * @param ids the ids of the images, in order
   */
  public CallerAssert lists(ImageId... ids) {
    return lists(ListRequest.empty(), ids);
  }

  /**
   * {@return the list {@code request} asks for (every page) shows these images, among others}
   *
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @param ids the ids of the images, in order
   */
  public CallerAssert lists(ListRequest request, ImageId... ids) {
    List<ImageId> listed = listAll(request);
    for (ImageId id : ids) {
      if (!listed.contains(id)) {
        throw failure(
            "Expected the list ?"
                + request.toQueryString()
                + " of "
                + who()
                + " to show image "
                + id
                + ", but it shows only "
                + listed,
            id,
            Action.GET);
      }
    }
    return this;
  }

  /**
   * {@return no page of the default list shows these images}
   *
   * @param ids the ids of the images, in order
   */
  public CallerAssert doesNotList(ImageId... ids) {
    List<ImageId> listed = listAll(ListRequest.empty());
    for (ImageId id : ids) {
      if (listed.contains(id)) {
        throw failure(
            "Expected the default list of "
                + who()
                + " not to show image "
                + id
                + ", but it does: "
                + listed,
            id,
            Action.GET);
      }
    }
    return this;
  }

  /**
   * {@return the default list (every page) shows exactly these images, in any order}
   *
   * @param ids the ids of the images, in order
   */
  public CallerAssert listsExactly(ImageId... ids) {
    return listsExactly(ListRequest.empty(), ids);
  }

  /**
   * {@return the list {@code request} asks for (every page) shows exactly these images, in any
   * order}
   *
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @param ids the ids of the images, in order
   */
  public CallerAssert listsExactly(ListRequest request, ImageId... ids) {
    Set<ImageId> listed = new LinkedHashSet<>(listAll(request));
    Set<ImageId> expected = new LinkedHashSet<>(Arrays.asList(ids));
    if (!listed.equals(expected)) {
      Set<ImageId> missing = new LinkedHashSet<>(expected);
      missing.removeAll(listed);
      Set<ImageId> unexpected = new LinkedHashSet<>(listed);
      unexpected.removeAll(expected);
      StringBuilder message =
          new StringBuilder("Expected the list ?")
              .append(request.toQueryString())
              .append(" of ")
              .append(who())
              .append(" to show exactly ")
              .append(expected)
              .append(", but it shows ")
              .append(listed)
              .append(missing.isEmpty() ? "" : "; missing " + missing)
              .append(unexpected.isEmpty() ? "" : "; not expected " + unexpected);
      List<ImageId> concerned = new ArrayList<>(missing);
      concerned.addAll(unexpected);
      for (ImageId id : concerned) {
        message.append("\nWhy, for ").append(id).append(":\n").append(explain(id, Action.GET));
      }
      throw new AssertionError(message.toString());
    }
    return this;
  }

  /**
   * {@return the caller may download (boot) the image}
   *
   * @param id the image's id
   */
  public CallerAssert canDownload(ImageId id) {
    Optional<GovernanceException> refusal =
        attempt(() -> governance.access().authorizeDownload(caller, id));
    if (refusal.isPresent()) {
      throw failure(
          "Expected "
              + who()
              + " to download image "
              + id
              + ", but it was refused with "
              + describe(refusal.get()),
          id,
          Action.DOWNLOAD);
    }
    return this;
  }

  /**
   * The caller may not download (boot) the image: 403 or 404.
   *
   * @param id the image's id
   * @return this assertion, for chaining
   */
  public CallerAssert cannotDownload(ImageId id) {
    Optional<GovernanceException> refusal =
        attempt(() -> governance.access().authorizeDownload(caller, id));
    if (refusal.isEmpty()) {
      throw failure(
          "Expected " + who() + " not to download image " + id + ", but the download was allowed",
          id,
          Action.DOWNLOAD);
    }
    return this;
  }

  private String who() {
    return Callers.describe(caller) + " " + caller;
  }

  private static Optional<GovernanceException> attempt(Runnable call) {
    try {
      call.run();
      return Optional.empty();
    } catch (GovernanceException e) {
      return Optional.of(e);
    }
  }

  static String describe(GovernanceException e) {
    return e.code() + " (" + e.httpStatus() + "): " + e.getMessage();
  }

  private AssertionError failure(String message, ImageId id, Action action) {
    return new AssertionError(message + "\nWhy:\n" + explain(id, action));
  }

  private String explain(ImageId id, Action action) {
    try {
      return governance.access().explain(caller, id, action).render();
    } catch (GovernanceException e) {
      return "  no live image has id " + id + " (" + describe(e) + ")\n";
    }
  }

  /** Every page of the list {@code request} asks for, following next markers. */
  private List<ImageId> listAll(ListRequest request) {
    List<ImageId> ids = new ArrayList<>();
    ListRequest page = request.without("marker");
    for (int n = 0; n < 10_000; n++) {
      ImageList list = governance.images().list(caller, page);
      list.images().stream().map(Image::id).forEach(ids::add);
      if (list.nextMarker().isEmpty()) {
        return ids;
      }
      page = request.with("marker", list.nextMarker().get().value());
    }
    throw new AssertionError("the list ?" + request.toQueryString() + " never ends");
  }
}
