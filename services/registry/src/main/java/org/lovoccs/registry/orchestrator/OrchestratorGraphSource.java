package org.lovoccs.registry.orchestrator;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.lovoccs.registry.status.PipelineGraphSource;

import java.util.List;

/** The status page's pipeline graph: the tasks of the orchestrator's pipeline with their input and output connections. */
@ApplicationScoped
@DefaultBean
public class OrchestratorGraphSource implements PipelineGraphSource {

    @Inject
    Orchestrator orchestrator;

    @Override
    public List<Task> tasks() {
        return orchestrator.pipeline().tasks().stream().map(t -> new Task(t.label(),
                t.inputs().stream().map(p -> new Connection(p.connection(), p.type().name())).toList(),
                t.outputs().stream().map(p -> new Connection(p.connection(), p.type().name())).toList())).toList();
    }
}
