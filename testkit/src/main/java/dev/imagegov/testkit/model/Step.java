package dev.imagegov.testkit.model;

import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.Visibility;

/**
 * One generated operation of the model check. {@code image} picks among the images created so far
 * (modulo their count, so a step always names one once any exists); {@code visibility}, {@code
 * project}, {@code status} and {@code size} are the arguments the kind uses.
 *
 * @param kind what is done
 * @param who the persona doing it
 * @param image which image, as an index into the images created so far
 * @param visibility the visibility created with or set
 * @param project the member project added, changed or removed
 * @param status the member status set
 * @param size the bytes uploaded
 */
public record Step(
    Step.Kind kind,
    Persona who,
    int image,
    Visibility visibility,
    String project,
    MemberStatus status,
    int size) {

  /** The operations the model covers. */
  public enum Kind {
    /** {@code images().create} with a visibility. */
    CREATE,
    /** {@code images().setVisibility}. */
    SET_VISIBILITY,
    /** {@code sharing().addMember}. */
    ADD_MEMBER,
    /** {@code sharing().updateMemberStatus}. */
    UPDATE_MEMBER,
    /** {@code sharing().removeMember}. */
    REMOVE_MEMBER,
    /** {@code images().delete}. */
    DELETE,
    /** {@code data().upload} of {@code size} bytes, declared. */
    UPLOAD
  }

  @Override
  public String toString() {
    switch (kind) {
      case CREATE:
        return who + " creates a " + visibility.wireName() + " image";
      case SET_VISIBILITY:
        return who + " makes #" + image + " " + visibility.wireName();
      case ADD_MEMBER:
        return who + " adds " + project + " to #" + image;
      case UPDATE_MEMBER:
        return who + " sets " + project + " on #" + image + " to " + status.wireName();
      case REMOVE_MEMBER:
        return who + " removes " + project + " from #" + image;
      case UPLOAD:
        return who + " uploads " + size + " bytes to #" + image;
      default:
        return who + " deletes #" + image;
    }
  }
}
