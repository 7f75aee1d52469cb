/**
 * Glance's image-list query parameters ({@code GET /v2/images?...}) turned into a {@link
 * dev.imagegov.spi.CatalogQuery}.
 *
 * <p>Start with {@link dev.imagegov.query.ListRequest#parse}; applications pass the request to
 * {@code ImageGovernance.images().list}.
 *
 * <h2>Contents</h2>
 *
 * <ul>
 *   <li>{@link dev.imagegov.query.ListRequest}: the raw parameters, ordered and repeatable, as a
 *       query string or a multimap;
 *   <li>{@link dev.imagegov.query.ListQueryParser}: Glance's rules for {@code limit}, {@code
 *       marker}, {@code member_status}, {@code visibility}, filters with operators, tags and
 *       sorting, with Glance's 400 answers for bad input; it returns the query bound to its
 *       caller in one step and alone decides the default limit, the sort tie-breaks and what a
 *       marker may be (a marker the caller may not see is answered like an unknown one).
 * </ul>
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Every list parameter's grammar and default, the page limits ({@code limit_param_default},
 *       {@code api_limit_max}), repeated keys as Glance's multidict reads them, sort keys and
 *       directions with Glance's tie-breaks; Python's lenient text conversions ({@code
 *       GlanceText}).
 * </ul>
 *
 * <p>Every refusal is a {@link dev.imagegov.error.GovernanceException} of kind {@link
 * dev.imagegov.error.ErrorKind#BAD_REQUEST}.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.query;
