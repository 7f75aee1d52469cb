/**
 * The JSON schemas Glance publishes for images and members ({@link
 * dev.imagegov.schema.ImageSchema}), with operator-supplied property definitions ({@link
 * dev.imagegov.schema.PropertyDefinitions}, Glance's {@code schema-image.json}), and validation of
 * image documents against them.
 *
 * <p>Start with {@link dev.imagegov.schema.ImageSchema#of}; the configuration's {@code
 * imageSchema()} is the one in force.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The image and member schemas of one configuration (formats, custom definitions, a
 *       property the schema does not declare must be a string) and the validation of a whole or
 *       partial image document against them.
 * </ul>
 */
@NullMarked
package dev.imagegov.schema;

import org.jspecify.annotations.NullMarked;
