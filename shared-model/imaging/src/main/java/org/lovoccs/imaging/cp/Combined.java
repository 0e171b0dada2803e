package org.lovoccs.imaging.cp;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.MaskedImage;

/**
 * Output of {@link ClippedCombiner}.
 *
 * @param image         clipped mean per pixel (input units / scale), variance of that mean, NO_DATA (and NaN) where
 *                      fewer than {@link CombineConfig#minValues()} values were kept
 * @param count         number of values kept per pixel
 * @param frames        number of input frames
 * @param maskedValues  values left out because of their mask or a non-finite value
 * @param clippedValues values removed by the clipping
 */
public record Combined(MaskedImage image, ImageF count, int frames, long maskedValues, long clippedValues) {
}
