/**
 * Who may do what: the {@link dev.imagegov.access.Caller}, an oslo.policy-compatible {@link
 * dev.imagegov.access.Policy} engine with Glance's secure-RBAC defaults built in (Zed's legacy
 * defaults on request), the targets rules are evaluated against ({@link
 * dev.imagegov.access.ImageTarget}, {@link dev.imagegov.access.PolicyTarget}), explained {@link
 * dev.imagegov.access.Decision}s, and {@link dev.imagegov.access.Access}, the group {@link
 * dev.imagegov.ImageGovernance#access()} returns.
 *
 * <p>Start with {@link dev.imagegov.access.Caller#member} (and its siblings) to name a caller,
 * {@link dev.imagegov.access.Policy#secureDefaults()} or {@link
 * dev.imagegov.access.Policy#legacyDefaults()} for the rules, and {@link
 * dev.imagegov.access.Access#explain} to see why a caller may or may not do an {@link
 * dev.imagegov.access.Action}: its {@link dev.imagegov.access.AccessExplanation} lists each {@link
 * dev.imagegov.access.CheckStep} of the action's pipeline (with policy decisions and their traces),
 * names the {@link dev.imagegov.access.VisibilityReason}, and carries the status and error code the
 * operation answers.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>oslo.policy's expression language and its evaluation ({@code RuleParser}, {@code Node},
 *       {@code Template}), rule references, implied roles; Glance's default rules ({@code
 *       DefaultRules}) by the names in {@link dev.imagegov.access.Rules}.
 *   <li>Download authorization ({@link dev.imagegov.access.Access#authorizeDownload}): visible
 *       by id, {@code get_image}, {@code download_image}, and no download of a deactivated image
 *       except by an admin.
 *   <li>The check pipeline of every action ({@code dev.imagegov.access.internal.ActionChecks},
 *       not API: the use cases of other packages run it): the ordered lookup, visibility,
 *       state, policy, value and quota checks, in Glance's order for each operation, including
 *       the legacy mode's hard-coded ownership checks; request arguments come in {@link
 *       dev.imagegov.access.ActionArgs}. The operations in {@code image} (an update runs the
 *       modify pipeline's checks for each of its operations), {@code sharing} and here run it;
 *       so does {@code explain}.
 *   <li>Isolation verification ({@link dev.imagegov.access.Access#verifyIsolation}, {@code
 *       IsolationVerifier}): per project, the listing index walk, the default list and the action
 *       pipelines on the related images, each answer judged by an {@link
 *       dev.imagegov.access.IsolationOracle}; core's oracle ({@code GlanceSharingRules}) restates
 *       Glance's sharing rules as a table, apart from the policy engine, so that it can judge it.
 *   <li>{@code explain}: the operator's account of a decision, step by step. (The by-id
 *       visibility predicate is applied by the shared engine in {@code dev.imagegov.internal}.)
 * </ul>
 *
 * <p>Rules are compiled once when a policy is built; evaluating one parses nothing. Every
 * malformed rule or policy file is refused with a {@link dev.imagegov.error.ConfigurationException}
 * that names the rule.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.access;

