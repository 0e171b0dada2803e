/**
 * The DECam instrument signature as independent building blocks, for {@code RawExposureSimulator} to call.
 *
 * <p>Conventions: the assembled CCD is 2048 columns (x) by 4096 rows (y), 0-based, row-major {@code ImageF}; amplifier
 * B covers columns 0-1023 and A 1024-2047 ({@code RawLayout.decam()}); readout order per amplifier is given by
 * {@link org.lovoccs.simulator.instrument.ReadoutAmp} (A is read from x = 2047 down). Charge images are in electrons,
 * signal images in ADU above bias. Focal-plane positions are in mm, pixel (i, j) of a CCD at
 * {@code (xMin + (i + 0.5) 0.015, yMin + (j + 0.5) 0.015)}.
 *
 * <p>Randomness: static effects depend only on (instrumentSeed, ccdNum) ({@link
 * org.lovoccs.simulator.instrument.InstrumentModel}); per-exposure effects on (exposureSeed, ccdNum), or on
 * exposureSeed alone where all CCDs must agree (fringe amplitude, satellite trail). All streams come from
 * {@code RandomStreams.stream} with keys that cannot collide with the simulator's own.
 *
 * <p>Intended order for a science exposure of one CCD (a suggestion for the integrator; the blocks do not enforce it):
 * <ol>
 *   <li>expected e-: (sky + fringe amplitude x {@code fringePattern()} + sources) x {@code flat(band)} (fringes
 *       are sky light, so they pass through the flat too);</li>
 *   <li>Poisson draw; {@code SatelliteTrail.addTo} may come before it (then it gets shot noise);</li>
 *   <li>{@code BrighterFatter.apply} on the realised charge (so that flat-pair covariances carry its signal);</li>
 *   <li>{@code Defects.applyTo(collected, exptime)} (dead columns scale, hot pixels add dark current);</li>
 *   <li>{@code CosmicRays.addTo}, then {@code BleedTrails.apply} per amplifier with its full well;</li>
 *   <li>per amplifier: read noise, / gain, {@code NonLinearity.applyTo}; then {@code IntraCcdCrosstalk.apply} on the
 *       ADU signal and {@code InterCcdCrosstalk.apply} with the other simulated CCDs' ADU signals (before their own
 *       crosstalk); then bias ({@code BiasModel}) + {@code BiasStructure.addTo} on data pixels; round, clip.</li>
 * </ol>
 * Calibration exposures use {@link org.lovoccs.simulator.instrument.CalibrationIllumination} for step 1 and skip
 * sources, fringes and (for zeros) everything but the read-out.
 */
package org.lovoccs.simulator.instrument;
