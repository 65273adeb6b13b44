package io.hearth.cli;

import io.hearth.catalog.Suggest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code ./hearth}: the one command line of Hearth. Each subcommand is a class of this package. Mistakes on the
 * command line and failures of a command are one line on stderr with a non-zero exit, naming the fix where there
 * is one; {@code HEARTH_DEBUG=1} adds the stack trace of a failure.
 */
@Command(name = "hearth", mixinStandardHelpOptions = true, version = "Hearth 0.1.0",
    description = "A feature store for machine learning on an Apache Ignite data grid.",
    subcommands = {UpCommand.class, NodeCommand.class, GatewayCommand.class, ApplyCommand.class, PlanCommand.class,
        IngestCommand.class, ExtractCommand.class, RegistryCommand.class, QuarantineCommand.class, DlqCommand.class,
        SqlCommand.class, KafkaCommand.class, ProduceCommand.class, ResetLostCommand.class, LogsCommand.class,
        KeysCommand.class, CertsCommand.class, AuditCommand.class, CommandLine.HelpCommand.class})
public final class HearthCli {
    /** Exit status of a usage mistake (an unknown option, a missing one, a bad value). */
    static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !Boolean.getBoolean("hearth.cli.keepAlive")) {
            System.exit(code);
        }
    }

    /** The command line with Hearth's error handling: what main runs, and what tests run. */
    public static CommandLine commandLine() {
        return new CommandLine(new HearthCli()).setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(HearthCli::badArguments)
            .setExecutionExceptionHandler((e, cmd, parsed) -> {
                String name = cmd.getCommandName();
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
                cmd.getErr().println("hearth " + name + ": " + why);
                if (System.getenv("HEARTH_DEBUG") != null) {
                    e.printStackTrace(cmd.getErr());
                }
                return 1;
            });
    }

    /**
     * A mistake on the command line as one line: an unknown option is named with the closest real ones (it is
     * reported before a missing required option it may be a misspelling of), then the help command.
     */
    private static int badArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandName();
        String message = ex.getMessage().split("\n")[0];
        List<String> known = new ArrayList<>();
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            known.addAll(List.of(o.names()));
        }
        for (String a : args) {
            String opt = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (opt.startsWith("-") && opt.length() > 1 && !Character.isDigit(opt.charAt(1)) && !known.contains(opt)
                && !opt.equals(name) && cmd.getCommandSpec().subcommands().get(opt) == null) {
                message = "unknown option '" + opt + "'" + Suggest.hint(opt, known);
                break;
            }
        }
        String where = cmd.getParent() == null ? "./hearth help" : "./hearth help " + name;
        err.println("hearth" + (cmd.getParent() == null ? "" : " " + name) + ": " + lower(message) + " (see " + where + ")");
        return EXIT_USAGE;
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
