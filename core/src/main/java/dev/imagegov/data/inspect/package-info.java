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
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Each format's signature, virtual size and safety checks, one probe per format ({@code
 *       Qcow2Probe}, {@code VhdProbe}, {@code VhdxProbe}, {@code VmdkProbe}, {@code
 *       OtherProbes}); data that matches several formats is unsafe; data that matches none is
 *       {@code raw}.
 * </ul>
 */
@NullMarked
package dev.imagegov.data.inspect;

import org.jspecify.annotations.NullMarked;
