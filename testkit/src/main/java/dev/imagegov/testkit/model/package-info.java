/**
 * A reference model of Glance's visibility, membership and member-quota rules, and a model-based
 * check of any {@link dev.imagegov.ImageGovernance} against it.
 *
 * <p>{@link dev.imagegov.testkit.model.ReferenceModel} is written for reading, not speed: plain
 * predicates over plain objects, one method per rule, each a few lines. {@link
 * dev.imagegov.testkit.model.GovernanceModelCheck} runs generated sequences of {@link
 * dev.imagegov.testkit.model.Step}s by generated {@link dev.imagegov.testkit.model.Persona}s
 * against both and compares every answer, every get and two lists after each step.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit.model;
