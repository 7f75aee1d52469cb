/**
 * Image members (Glance's members API): {@link dev.imagegov.sharing.Sharing}, the group {@link
 * dev.imagegov.ImageGovernance#sharing()} returns.
 *
 * <p>Start with {@link dev.imagegov.sharing.Sharing#addMember} and {@link
 * dev.imagegov.sharing.Sharing#updateMemberStatus}.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Members exist only on shared images; on other visibilities their rows are dormant.
 *   <li>The owner (or an admin) adds and removes members ({@code add_member}, {@code
 *       delete_member}, and the legacy owner-only checks); a new member is {@code pending};
 *       {@code image_member_quota} is checked before duplicates.
 *   <li>Only the member itself (or an admin) changes its status ({@code modify_member}), among
 *       pending, accepted and rejected.
 *   <li>Who sees which membership rows: the owner and admins all of them, a member its own,
 *       anyone else nothing; {@code getMember} answers every refusal as not found.
 * </ul>
 */
@NullMarked
package dev.imagegov.sharing;

import org.jspecify.annotations.NullMarked;
