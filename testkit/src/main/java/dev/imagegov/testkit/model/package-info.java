/**
 * A reference model of Glance's visibility, membership and member-quota rules, and a model-based
 * check of any {@link dev.imagegov.ImageGovernance} against it.
 *
 * <p>{@link dev.imagegov.testkit.model.ReferenceModel} is written for reading, not speed: plain
 * predicates over plain objects, one method per rule, each a few lines. {@link
 * dev.imagegov.testkit.model.GovernanceModelCheck} runs generated sequences of {@link
 * dev.imagegov.testkit.model.Step}s by generated {@link dev.imagegov.testkit.model.Persona}s
 * against both and compares every answer, every get and two lists after each step. A failing
 * sequence of either check is shrunk by delta debugging over its steps (bounded, deterministic,
 * keeping only shorter sequences that fail on the same view) and reported with the failing step
 * marked and the governance's {@code access().explain} of it.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit.model;
