package org.lovoccs.registry.orchestrator;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.lovoccs.registry.status.PipelineGraphSource;

import java.util.List;

/** The pipeline graph of the tasks the orchestrator plans today; any other {@link PipelineGraphSource} bean replaces it. */
@ApplicationScoped
@DefaultBean
public class TaskDefinitionGraphSource implements PipelineGraphSource {

    @Override
    public List<Task> tasks() {
        return fromDefinitions(Orchestrator.TASKS);
    }

    static List<Task> fromDefinitions(List<TaskDefinition> definitions) {
        return definitions.stream().map(t -> new Task(t.label(),
                List.of(new Connection(t.inputConnection(), t.input().name())),
                List.of(new Connection(t.outputConnection(), t.output().name())))).toList();
    }
}
