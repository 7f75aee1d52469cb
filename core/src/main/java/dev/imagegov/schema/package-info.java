/**
 * The JSON schemas Glance publishes for images and members ({@link
 * dev.imagegov.schema.ImageSchema}), with operator-supplied property definitions ({@link
 * dev.imagegov.schema.PropertyDefinitions}, Glance's {@code schema-image.json}), and validation of
 * image documents against them.
 */
@NullMarked
package dev.imagegov.schema;

import org.jspecify.annotations.NullMarked;
