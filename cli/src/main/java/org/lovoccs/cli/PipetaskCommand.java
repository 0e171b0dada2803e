package org.lovoccs.cli;

import org.lovoccs.pipeline.Pipeline;
import org.lovoccs.pipeline.PipelineException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pipetask build}: loads a pipeline ({@code -p FILE[#LABELS]}), applies {@code -c LABEL:KEY=VALUE}
 * and {@code -C LABEL:FILE} overrides, then shows it ({@code --show dump-config|pipeline|tasks}), draws it
 * ({@code --pipeline-dot FILE}) and/or saves it ({@code -s FILE}). Works offline; no registry needed.
 */
final class PipetaskCommand {
    static final String USAGE = """
            usage: pipetask build -p FILE[#LABEL|SUBSET,...] [-c LABEL:KEY=VALUE ...] [-C LABEL:FILE ...]
                                  [--show dump-config|pipeline|tasks ...] [--pipeline-dot FILE] [-s FILE]
              -p, --pipeline FILE[#SEL]   pipeline YAML; #step1 or #isr,calibrate selects labels and subsets
              -c, --config L:KEY=VALUE    override one config value of task L
              -C, --config-file L:FILE    apply a file of 'config.KEY = VALUE' lines to task L
              --show dump-config          the effective config of every task
              --show pipeline             the resulting pipeline YAML
              --show tasks                task labels in execution order with classes and connections
              --pipeline-dot FILE         GraphViz graph of tasks and dataset types
              -s, --save-pipeline FILE    write the resulting pipeline YAML
            """;

    private PipetaskCommand() {
    }

    static int run(String[] a, PrintStream out, PrintStream err) {
        if (a.length == 0 || a[0].equals("-h") || a[0].equals("--help")) {
            out.print(USAGE);
            return a.length == 0 ? 2 : 0;
        }
        if (!a[0].equals("build")) {
            throw new Main.UsageException("pipetask " + a[0] + " is not available yet; only 'pipetask build' (see"
                    + " 'pipetask --help')");
        }
        String pipeline = null;
        List<String> configs = new ArrayList<>();
        List<String> configFiles = new ArrayList<>();
        List<String> shows = new ArrayList<>();
        String dot = null;
        String save = null;
        for (int i = 1; i < a.length; i++) {
            String opt = a[i];
            switch (opt) {
                case "-p", "--pipeline" -> pipeline = value(a, ++i, opt);
                case "-c", "--config" -> configs.add(value(a, ++i, opt));
                case "-C", "--config-file" -> configFiles.add(value(a, ++i, opt));
                case "--show" -> shows.add(value(a, ++i, opt));
                case "--pipeline-dot" -> dot = value(a, ++i, opt);
                case "-s", "--save-pipeline" -> save = value(a, ++i, opt);
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new Main.UsageException("pipetask build: unknown option '" + opt + "'");
            }
        }
        if (pipeline == null) {
            throw new Main.UsageException("pipetask build needs -p FILE[#SUBSET]");
        }
        for (String s : shows) {
            if (!List.of("dump-config", "pipeline", "tasks").contains(s)) {
                throw new Main.UsageException("--show " + s + ": expected dump-config, pipeline or tasks");
            }
        }
        try {
            Pipeline p = Pipeline.load(pipeline);
            for (String c : configs) {
                p.override(c);
            }
            for (String c : configFiles) {
                p.applyConfigFile(c);
            }
            p.validate();
            for (Map.Entry<String, List<String>> m : p.missingProducers().entrySet()) {
                err.println("warning: dataset type " + m.getKey() + " (input of " + String.join(", ", m.getValue())
                        + ") is produced by no task of the pipeline and is not a repository input");
            }
            for (String s : shows) {
                switch (s) {
                    case "dump-config" -> out.print(p.dumpConfig());
                    case "pipeline" -> out.print(p.toYaml());
                    default -> out.print(p.describeTasks());
                }
            }
            if (dot != null) {
                write(Path.of(dot), p.toDot());
            }
            if (save != null) {
                p.write(Path.of(save));
            }
            if (shows.isEmpty() && dot == null && save == null) {
                out.println("pipeline " + pipeline + ": " + p.tasks().size() + " tasks in order: "
                        + String.join(", ", p.taskOrder()));
            }
            return 0;
        } catch (PipelineException e) {
            throw new Main.CliException(e.getMessage());
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new Main.CliException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String value(String[] a, int i, String opt) {
        if (i >= a.length) {
            throw new Main.UsageException("option " + opt + " needs a value");
        }
        return a[i];
    }
}
