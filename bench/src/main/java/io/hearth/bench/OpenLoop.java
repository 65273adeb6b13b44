package io.hearth.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: requests are due at a fixed rate whatever the server does, and each latency is
 * measured from the time the request was due, not from when it could be sent, so a stalled server shows in the
 * tail instead of slowing the load down (no coordinated omission). Prints one line:
 * {@code sent ok errors p50_ms p90_ms p99_ms p999_ms max_ms}.
 *
 * <p>Usage: {@code OpenLoop PORT PATH RATE SECONDS WARMUP_SECONDS ENTITIES [SERVICE]}: POSTs the 1 x 20 lookup of a
 * random entity among ENTITIES to PATH on 127.0.0.1:PORT; with SERVICE, as a lookup of that feature service.
 */
public final class OpenLoop {
    private OpenLoop() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int entities = Integer.parseInt(args[5]);
        String service = args.length > 6 ? args[6] : null;
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(64));
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        long[] counts = new long[3]; // sent, ok, errors
        SplittableRandom rnd = new SplittableRandom(7);
        long total = (long) rate * (seconds + warmup);
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        CountDownLatch done = new CountDownLatch(1);
        // A sender thread waits for each request's due time (parking, then spinning the last 100 us) and hands the
        // request to the client's event loop. A Vert.x periodic timer ticks at 1 ms at best, which delayed requests
        // by up to a millisecond after their due time and added that to every latency, the bare endpoint's too.
        io.vertx.core.Context ctx = vertx.getOrCreateContext();
        Thread sender = new Thread(() -> {
            for (long i = 0; i < total; i++) {
                long intended = start + i * 1_000_000_000L / rate;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    if (wait > 200_000) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait - 100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                ctx.runOnContext(v -> {
                    counts[0]++;
                    String user = OnlineQueries.user(rnd.nextInt(entities));
                    Buffer body = Buffer.buffer(service != null ? OnlineQueries.serviceBody(service, user)
                        : OnlineQueries.body(OnlineQueries.F20, java.util.List.of(user)));
                    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                        .setURI(path).putHeader("Content-Type", "application/json"))
                        .compose(req -> req.send(body)).compose(resp -> resp.body().map(b -> resp.statusCode()))
                        .onComplete(ar -> {
                            long end = System.nanoTime();
                            if (ar.succeeded() && ar.result() == 200) {
                                counts[1]++;
                                if (intended >= measureFrom) {
                                    h.recordValue(Math.max(0, end - intended));
                                }
                            } else {
                                counts[2]++;
                            }
                            if (counts[1] + counts[2] == total) {
                                done.countDown();
                            }
                        });
                });
            }
        }, "open-loop-sender");
        sender.setDaemon(true);
        sender.start();
        if (!done.await(seconds + warmup + 60L, TimeUnit.SECONDS)) {
            System.err.println("not all answers arrived: " + (counts[1] + counts[2]) + " of " + total);
        }
        System.out.println(String.format(Locale.ROOT, "%d %d %d %.3f %.3f %.3f %.3f %.3f", counts[0], counts[1], counts[2],
            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
            h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6));
        vertx.close();
    }
}
