package io.hearth.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./hearth}: the one command line of Hearth. Each subcommand is a class of this package. */
@Command(name = "hearth", mixinStandardHelpOptions = true, version = "Hearth 0.1.0",
    description = "A feature store for machine learning on an Apache Ignite data grid.",
    subcommands = {UpCommand.class, NodeCommand.class, GatewayCommand.class, ApplyCommand.class, PlanCommand.class,
        IngestCommand.class, ExtractCommand.class, KafkaCommand.class, ProduceCommand.class, ResetLostCommand.class,
        CommandLine.HelpCommand.class})
public final class HearthCli {

    public static void main(String[] args) {
        int code = new CommandLine(new HearthCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (code != 0 || !Boolean.getBoolean("hearth.cli.keepAlive")) {
            System.exit(code);
        }
    }
}
