package io.hearth.gateway.lineage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends OpenLineage events, best effort and never in a request's way: {@link #emit} only queues (a bounded queue; an
 * event that finds it full is dropped and counted), and one background thread POSTs each event to the configured URL
 * and/or appends it as one line to the configured file. Outcomes are counted in {@code hearth_openlineage_events_total}
 * by {@code outcome} ({@code sent}, {@code failed}, {@code dropped}); a failed send is not retried (the receiver may
 * be down for long, and lineage must not hold memory for it).
 */
public final class OpenLineageEmitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageEmitter.class);

    /**
     * Where events go: an HTTP endpoint (the OpenLineage API, e.g. Marquez's {@code /api/v1/lineage}), a file (one JSON
     * event per line), both, or nowhere (both null). {@code queue} bounds the events waiting to be sent.
     */
    public record Settings(URI url, Path file, int queue) {
        public static final Settings NONE = new Settings(null, null, 10_000);

        public Settings {
            if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("the OpenLineage URL must be http or https, got " + url);
            }
            if (queue < 1) {
                throw new IllegalArgumentException("the OpenLineage queue must hold at least one event, got " + queue);
            }
        }

        public boolean enabled() {
            return url != null || file != null;
        }
    }

    private final Settings settings;
    private final BlockingQueue<String> queue;
    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;
    private final HttpClient http;
    private final BufferedWriter file;
    private final Thread sender;
    private volatile boolean closing;

    public OpenLineageEmitter(Settings settings, MeterRegistry meters) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queue());
        this.sent = counter(meters, "sent");
        this.failed = counter(meters, "failed");
        this.dropped = counter(meters, "dropped");
        this.http = settings.url() == null ? null : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try { // opened here, so that a path that cannot be written stops the start, in one line
            this.file = settings.file() == null ? null : Files.newBufferedWriter(settings.file(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write OpenLineage events to " + settings.file() + ": " + e, e);
        }
        if (settings.enabled()) {
            sender = new Thread(this::run, "hearth-openlineage");
            sender.setDaemon(true);
            sender.start();
            LOG.info("OpenLineage events go to {}", settings.url() != null && settings.file() != null
                ? settings.url() + " and " + settings.file() : settings.url() != null ? settings.url() : settings.file());
        } else {
            sender = null;
        }
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("hearth.openlineage.events").description("OpenLineage events, by what became of them")
            .tag("outcome", outcome).register(meters);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Queues one event (JSON text); never blocks. */
    public void emit(String event) {
        if (!settings.enabled() || closing) {
            return;
        }
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    private void run() {
        try {
            while (!closing || !queue.isEmpty()) {
                String event = queue.poll(200, TimeUnit.MILLISECONDS);
                if (event != null) {
                    send(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.warn("OpenLineage file {} not closed cleanly: {}", settings.file(), e.toString());
                }
            }
        }
    }

    private void send(String event) throws InterruptedException {
        boolean ok = true;
        if (file != null) {
            try {
                file.write(event);
                file.write('\n');
                file.flush();
            } catch (IOException e) {
                ok = false;
                LOG.warn("OpenLineage event not written to {}: {}", settings.file(), e.toString());
            }
        }
        if (http != null) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(settings.url()).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                    HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 != 2) {
                    ok = false;
                    LOG.warn("OpenLineage endpoint {} answered {} to an event", settings.url(), r.statusCode());
                }
            } catch (IOException e) {
                ok = false;
                LOG.warn("OpenLineage event not sent to {}: {}", settings.url(), e.toString());
            }
        }
        (ok ? sent : failed).increment();
    }

    /** Sends what is queued (waiting up to a few seconds), then stops. */
    @Override
    public void close() {
        closing = true;
        if (sender != null) {
            try {
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (sender.isAlive()) {
                sender.interrupt();
                LOG.warn("OpenLineage: {} queued events not sent at close", queue.size());
            }
        }
    }
}
