package org.lovoccs.events;

import java.util.List;

/**
 * A dataset type: its name, the dimensions of its data IDs and its storage class, as in daf_butler.
 *
 * @param name         e.g. {@code postISRCCD}
 * @param dimensions   the required dimensions of a data ID of this type
 * @param storageClass the in-memory type its formatter produces, e.g. {@code Exposure}
 */
public record DatasetType(String name, List<Dimension> dimensions, String storageClass) {
    public static final DatasetType RAW = new DatasetType("raw",
            List.of(Dimension.INSTRUMENT, Dimension.EXPOSURE, Dimension.DETECTOR), "Exposure");
    public static final DatasetType POST_ISR_CCD = new DatasetType("postISRCCD",
            List.of(Dimension.INSTRUMENT, Dimension.EXPOSURE, Dimension.DETECTOR), "Exposure");

    /** The part of {@code dataId} this type is keyed on; fails naming the missing dimension. */
    public DataId required(DataId dataId) {
        DataId.Builder b = DataId.builder();
        for (Dimension d : dimensions) {
            Object v = dataId.get(d);
            if (v == null) {
                throw new IllegalArgumentException("data ID " + dataId + " lacks " + d.key() + ", required by " + name);
            }
            b.with(d, v);
        }
        return b.build();
    }
}
