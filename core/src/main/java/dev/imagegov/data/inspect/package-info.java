/**
 * Disk-image format inspection: which format the bytes of an image really are, the virtual size
 * their header declares, and whether they are safe to hand to a hypervisor or {@code qemu-img}.
 *
 * <p>Start with {@link dev.imagegov.data.inspect.FormatInspector#inspect(RegionReader)}, which
 * answers an {@link dev.imagegov.data.inspect.InspectionResult}; its {@link
 * dev.imagegov.data.inspect.InspectionResult#check(String)} refuses data that disagrees with the
 * image's {@code disk_format} or fails a safety check. Inspection reads only the few regions each
 * format needs through a positional {@link dev.imagegov.data.inspect.RegionReader}, never the
 * whole image.
 */
@NullMarked
package dev.imagegov.data.inspect;

import org.jspecify.annotations.NullMarked;
