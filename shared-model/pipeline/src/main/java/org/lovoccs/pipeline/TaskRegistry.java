package org.lovoccs.pipeline;

import org.lovoccs.pipeline.tasks.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The task definitions this project knows, found by LSST class alias ({@code lsst.ip.isr.IsrTask}),
 * Java class name ({@code org.lovoccs.pipeline.tasks.IsrTask}) or simple name ({@code IsrTask}).
 */
public final class TaskRegistry {
    private static final List<Supplier<TaskDefinition>> ALL = List.of(
            BrighterFatterKernelSolveTask::new,
            CalibCombineByFilterTask::new,
            CalibCombineTask::new,
            CalibrateTask::new,
            CharacterizeImageTask::new,
            CheckVisitTask::new,
            CompareWarpAssembleCoaddTask::new,
            ConsolidateObjectTableTask::new,
            ConsolidateSourceTableTask::new,
            ConsolidateVisitSummaryTask::new,
            DeblendCoaddSourcesMultiTask::new,
            DetectCoaddSourcesTask::new,
            ExportCatalogsTask::new,
            FinalizeCharacterizationTask::new,
            ForcedPhotCoaddTask::new,
            IsolatedStarAssociationTask::new,
            IsrTask::new,
            JointcalTask::new,
            MakeWarpTask::new,
            MassFitTask::new,
            MassMapTask::new,
            MeasureMergedCoaddSourcesTask::new,
            MergeDetectionsTask::new,
            MergeMeasurementsTask::new,
            MetaExportTask::new,
            MetaLensingTask::new,
            MetaMeasureTask::new,
            MetaProcessTask::new,
            MetaShearCoaddsTask::new,
            PhotoZTask::new,
            PhotometricCorrectionTask::new,
            PlotVisitSeeingTask::new,
            RedSequenceTask::new,
            SelectVisitTask::new,
            ShearCalibrationTask::new,
            SkyCorrectionTask::new,
            TransformObjectCatalogTask::new,
            TransformSourceTableTask::new,
            UpdateVisitSummaryTask::new,
            WriteObjectTableTask::new,
            WriteRecalibratedSourceTableTask::new,
            WriteSourceTableTask::new
    );
    private static final Map<String, Supplier<TaskDefinition>> BY_NAME = new LinkedHashMap<>();

    static {
        for (Supplier<TaskDefinition> s : ALL) {
            TaskDefinition t = s.get();
            BY_NAME.put(t.lsstClass(), s);
            BY_NAME.put(t.javaClass(), s);
            BY_NAME.put(t.getClass().getSimpleName(), s);
        }
    }

    private TaskRegistry() {
    }

    /** A fresh definition for a class name (LSST alias, Java class name or simple name), if known. */
    public static Optional<TaskDefinition> find(String className) {
        Supplier<TaskDefinition> s = BY_NAME.get(className);
        return s == null ? Optional.empty() : Optional.of(s.get());
    }

    /** A fresh definition, or a {@link PipelineException} naming the closest known class. */
    public static TaskDefinition get(String className, String where) {
        return find(className).orElseThrow(() -> new PipelineException(where + ": unknown task class '" + className
                + "'" + Suggest.didYouMean(className, lsstClasses()) + "; known classes: "
                + String.join(", ", lsstClasses())));
    }

    /** All known task definitions, one instance each. */
    public static List<TaskDefinition> all() {
        List<TaskDefinition> out = new ArrayList<>();
        ALL.forEach(s -> out.add(s.get()));
        return out;
    }

    /** The LSST class aliases, sorted. */
    public static List<String> lsstClasses() {
        TreeSet<String> names = new TreeSet<>();
        ALL.forEach(s -> names.add(s.get().lsstClass()));
        return new ArrayList<>(names);
    }
}
