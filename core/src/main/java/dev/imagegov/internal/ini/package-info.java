/**
 * Internal to imagegov, not API: the INI reader shared by the property-protections loader
 * ({@code configparser} dialect) and {@code GovernanceConfig.fromGlanceConfig} (oslo.config
 * dialect). Public only so that both packages can use one implementation; anything here may
 * change or disappear in any release without notice.
 */
@NullMarked
package dev.imagegov.internal.ini;

import org.jspecify.annotations.NullMarked;
