package dev.imagegov.access;

/**
 * The kind of one check in an action's pipeline ({@code access.internal.ActionChecks}), in the
 * vocabulary of Glance's controllers: finding the image, the by-id visibility predicate, the
 * image's state, a policy rule, a request value, a quota.
 */
public enum CheckKind {
  /** The image (or the membership row) exists. */
  LOOKUP,
  /** The caller may see the image by id. */
  VISIBILITY,
  /** The image's state allows the action (status, protected, shared, ownership). */
  STATE,
  /** A policy rule allows the action; the step carries the rule's {@link Decision}. */
  POLICY,
  /** A request value is well formed (a member id, a member status). */
  VALUE,
  /** A quota has room. */
  QUOTA,
  /** The exposure guardrail allows the visibility ({@code dev.imagegov.exposure}). */
  GUARDRAIL
}
