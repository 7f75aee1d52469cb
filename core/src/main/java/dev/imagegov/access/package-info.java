/**
 * Who may do what: the {@link dev.imagegov.access.Caller}, an oslo.policy-compatible {@link
 * dev.imagegov.access.Policy} engine with Glance's secure-RBAC defaults built in (Zed's legacy
 * defaults on request), the targets rules are evaluated against ({@link
 * dev.imagegov.access.ImageTarget}, {@link dev.imagegov.access.PolicyTarget}), and explained
 * {@link dev.imagegov.access.Decision}s.
 *
 * <p>Rules are compiled once when a policy is built; evaluating one parses nothing. Every
 * malformed rule or policy file is refused with a {@link dev.imagegov.error.GovernanceException}
 * of code {@link dev.imagegov.error.ErrorCode#INVALID_CONFIGURATION} that names the rule.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.access;
