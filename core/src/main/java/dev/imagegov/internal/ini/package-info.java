/**
 * Internal to imagegov, not API: INI files. {@link dev.imagegov.internal.ini.IniFile} is the
 * reader shared by the property-protections loader ({@code configparser} dialect) and {@link
 * dev.imagegov.internal.ini.GlanceConfigReader} (oslo.config dialect), which reads the options
 * imagegov implements from a {@code glance-api.conf} for {@code
 * GovernanceConfig.fromGlanceConfig}. Public only so that those packages can use one
 * implementation; anything here may change or disappear in any release without notice.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The two INI dialects ({@code configparser}'s, with its interpolation, and oslo.config's):
 *       sections, continuation lines, comments, options given twice.
 *   <li>oslo.config's value syntax for the booleans, integers and lists read.
 *   <li>Which {@code glance-api.conf} options are read, how relative paths resolve, and the
 *       refusal naming section, option, line and value.
 * </ul>
 */
@NullMarked
package dev.imagegov.internal.ini;

import org.jspecify.annotations.NullMarked;
