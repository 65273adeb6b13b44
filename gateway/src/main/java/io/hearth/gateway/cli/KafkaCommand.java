package io.hearth.gateway.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hearth kafka}: a development Kafka broker; arrives with its own issue. */
@Command(name = "kafka", description = "Start a development Kafka broker (not yet available: arrives with the issue "
    + "'Kafka streaming ingestion').")
final class KafkaCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        System.err.println("hearth kafka is not available yet: it arrives with the issue 'Kafka streaming ingestion'. "
            + "Ingest over HTTP (POST /v1/ingest/{source}) or from files (hearth ingest) works now.");
        return 2;
    }
}
