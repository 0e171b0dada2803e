package org.lovoccs.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** quantum.ready.calibration: a combine writes outputData, cpBfkSolve (cp_pipe's connection name) outputBFK. */
class CalibrationQuantumSchemaTest {
    private static final String BFK = "lsst.cp.pipe.BrighterFatterKernelSolveTask";
    private static final String COMBINE = "lsst.cp.pipe.cpCombine.CalibCombineTask";
    private static final String RUN = "DECam/processing/C/cpBfk/20260101T000000Z";

    private static QuantumReady quantum(String taskClass, String outputConnection) {
        DataId detector = DataId.builder().with(Dimension.INSTRUMENT, "DECam").with(Dimension.DETECTOR, 28).build();
        DataId flat = DataId.builder().with(Dimension.INSTRUMENT, "DECam").with(Dimension.DETECTOR, 28)
                .with(Dimension.EXPOSURE, 1000L).build();
        DatasetType proc = new DatasetType("cpFlatProc",
                List.of(Dimension.INSTRUMENT, Dimension.EXPOSURE, Dimension.DETECTOR), "Exposure");
        DatasetType bfk = new DatasetType("bfk", List.of(Dimension.INSTRUMENT, Dimension.DETECTOR),
                "BrighterFatterKernel");
        DatasetRef in = DatasetRef.planned(proc, RUN, flat, "s3://repo/" + RUN + "/cpFlatProc/1000_28.fits");
        DatasetRef out = DatasetRef.planned(bfk, RUN, detector, "s3://repo/" + RUN + "/bfk/28.fits");
        return new QuantumReady(UUID.randomUUID(), "C", "cpBfkSolve", taskClass, "calibration", detector,
                Map.of("level", "DETECTOR"), Map.of("inputExpHandles", List.of(in)),
                Map.of(outputConnection, List.of(out)), 1);
    }

    @Test
    void bfkSolveWritesOutputBfkAndCombinesOutputData() {
        String topic = Topics.quantumReady("calibration");
        QuantumReady q = quantum(BFK, "outputBFK");
        assertEquals(q, EventCodec.decode(topic, EventCodec.encode(topic, q), QuantumReady.class));
        EventCodec.encode(topic, quantum(COMBINE, "outputData"));
        InvalidEventException noBfk = assertThrows(InvalidEventException.class,
                () -> EventCodec.encode(topic, quantum(BFK, "outputData")));
        assertTrue(noBfk.getMessage().contains("outputBFK"), noBfk.getMessage());
        InvalidEventException noData = assertThrows(InvalidEventException.class,
                () -> EventCodec.encode(topic, quantum(COMBINE, "outputBFK")));
        assertTrue(noData.getMessage().contains("outputData"), noData.getMessage());
    }
}
