package io.hearth.bench;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.compute.events.EventBlock;
import io.hearth.gateway.HearthGateway;
import io.hearth.node.store.EventStore;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.fold.LogFolder;
import io.hearth.security.keys.KeyFile;
import io.hearth.security.keys.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The server side of {@code bench/run online}, meant to run pinned to one core: one persistent Hearth node and its
 * gateway, loaded with N entities in two views, plus a bare Vert.x endpoint in the same process that answers with
 * the exact bytes Hearth answers (captured after loading), so both are measured on the same core with the same
 * response sizes; and a second Hearth gateway on the same node that wants API keys, to price the key checks. Prints
 * {@code READY <hearth-port> <bare-port> <keyed-port> <secret>} when all serve.
 *
 * <p>View {@code pa} (source {@code profile}): 25 plain double features, one event per entity. View {@code pb}
 * (source {@code activity}): 10 plain features and 15 windowed ones (count, sum, avg, min, max over 1d, 7d, 30d),
 * three events per entity in the last 30 days. Entity {@code HEAVY} has 100k activity events in the last 30 days.
 * Feature services {@code f20_log} (every lookup logged: {@code logging: {sample_rate: 1.0}}) and {@code f20_nolog}
 * (not logged) both serve the 20 features of the 1 x 20 lookup, so logging can be measured against no logging.
 * View {@code pr} (source {@code visits}, with an id field): the features of {@code pb} over small entities
 * ({@code S<i>}, 3 events) and REAL ones ({@code R<i>}, 300 events with ids), the same lookup timed on each.
 */
public final class OnlineBenchServer {
    static final int PLAIN_A = 25;
    static final int COLS_B = 10;
    static final long DAY = 86_400_000L;
    /** Secrets of the benchmark's keys: the prefix and a digit (they guard nothing). */
    static final String BENCH_KEY_PREFIX = "hs_online-bench-key-";

    private OnlineBenchServer() {
    }

    static String definitions() {
        StringBuilder y = new StringBuilder("""
            project: online
            entities: [{name: user, join_keys: [user_id]}]
            sources:
              - name: profile
                entity: user
                timestamp_field: ts
                schema:
                  user_id: string
                  ts: timestamp
            """);
        for (int i = 0; i < PLAIN_A; i++) {
            y.append("      a").append(i).append(": double\n");
        }
        y.append("""
              - name: activity
                entity: user
                timestamp_field: ts
                schema:
                  user_id: string
                  ts: timestamp
            """);
        for (int i = 0; i < COLS_B; i++) {
            y.append("      b").append(i).append(": double\n");
        }
        y.append("""
              - name: visits
                entity: user
                timestamp_field: ts
                id_field: visit_id
                schema:
                  user_id: string
                  ts: timestamp
                  visit_id: string
            """);
        for (int i = 0; i < COLS_B; i++) {
            y.append("      b").append(i).append(": double\n");
        }
        y.append("feature_views:\n  - name: pa\n    entity: user\n    source: profile\n    features:\n");
        for (int i = 0; i < PLAIN_A; i++) {
            y.append("      - {name: a").append(i).append(", column: a").append(i).append("}\n");
        }
        for (String[] v : new String[][] {{"pb", "activity"}, {"pr", "visits"}}) {
            y.append("  - name: ").append(v[0]).append("\n    entity: user\n    source: ").append(v[1])
                .append("\n    ttl: 90d\n    features:\n");
            for (int i = 0; i < COLS_B; i++) {
                y.append("      - {name: b").append(i).append(", column: b").append(i).append("}\n");
            }
            String[] aggs = {"count", "sum", "avg", "min", "max"};
            String[] windows = {"1d", "7d", "30d"};
            for (String w : windows) {
                for (String a : aggs) {
                    y.append("      - {name: ").append(a).append("_").append(w).append(", aggregation: ").append(a);
                    if (!a.equals("count")) {
                        y.append(", column: b0");
                    }
                    y.append(", window: ").append(w).append("}\n");
                }
            }
        }
        y.append("feature_services:\n");
        for (String[] svc : new String[][] {{"f20_log", "    logging: {sample_rate: 1.0}\n"}, {"f20_nolog", ""}}) {
            y.append("  - name: ").append(svc[0]).append("\n    features: [");
            for (int i = 0; i < OnlineQueries.F20.size(); i++) {
                y.append(i > 0 ? ", " : "").append('"').append(OnlineQueries.F20.get(i)).append('"');
            }
            y.append("]\n").append(svc[1]);
        }
        return y.toString();
    }

    public static void main(String[] args) throws Exception {
        int entities = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        int barePort = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        int authPort = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Files.createDirectories(dir);
        int disco = IngestBench.freePort();
        NodeSettings ns = NodeSettings.server(dir.resolve("node")).withPorts(disco, IngestBench.freePort(), IngestBench.freePort())
            .withPeers(List.of("127.0.0.1:" + disco)).withLimits(3L << 30, 64L << 20);
        HearthNode node = new HearthNode(ns).start();
        HearthGateway gw = new HearthGateway(node.ignite(), HearthGateway.Settings.defaults(port), Clock.systemUTC());
        gw.registry().apply(DefinitionsParser.parse("online.yaml", definitions()));
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        load(new EventStore(node.ignite()), entities, now);
        System.err.printf("loaded %,d entities (+ HEAVY with 100k events) in %.1f s%n", entities, (System.nanoTime() - t0) / 1e9);
        // Fold the loaded logs now: left to the background folder, the fold would take the server's core for a minute or
        // more, during the first measurements (measured: about half the server's CPU samples for 80 s after READY).
        long t1 = System.nanoTime();
        LogFolder.foldEverywhere(node.ignite());
        System.err.printf("folded in %.1f s%n", (System.nanoTime() - t1) / 1e9);
        // And checkpoint it: the pages the load dirtied would otherwise be written out on this core during the first
        // measurements, which would then time the checkpointer too (the join right after a load is issue 21's case).
        long t2 = System.nanoTime();
        BenchSupport.checkpoint(node.ignite(), "bench: loaded");
        System.err.printf("checkpointed in %.1f s%n", (System.nanoTime() - t2) / 1e9);
        gw.start();

        // Capture Hearth's answers, then serve the same bytes from a bare endpoint in this process.
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Buffer> bodies = new HashMap<>();
        for (String[] q : OnlineQueries.ALL) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + q[1]))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(q[2])).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(q[0] + ": HTTP " + r.statusCode() + " " + new String(r.body()));
            }
            bodies.put("/" + q[0], Buffer.buffer(r.body()));
            System.err.printf("%s: %d bytes%n", q[0], r.body().length);
        }
        Vertx vertx = Vertx.vertx();
        HttpServer bare = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            Buffer body = bodies.get(req.path());
            if (body == null) {
                req.response().setStatusCode(404).end();
            } else {
                req.response().putHeader("Content-Type", "application/json").end(body);
            }
        })).listen(barePort, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        // The same node behind a second gateway that wants API keys: the price of the key checks, measured on the same
        // core against the same data (a reader's key among ten, as a small key file would hold).
        StringBuilder keys = new StringBuilder("keys:\n");
        for (int i = 0; i < 10; i++) {
            keys.append("  - {id: k").append(i).append(", secret_sha256: ").append(Secrets.sha256Hex(BENCH_KEY_PREFIX + i))
                .append(", roles: [").append(i == 9 ? "reader" : "admin").append("]}\n");
        }
        HearthGateway authed = new HearthGateway(node.ignite(), HearthGateway.Settings.defaults(authPort).withSecurity(
            HearthGateway.Security.keys(KeyFile.parse("bench-keys.yaml", keys.toString()))), Clock.systemUTC()).start();
        System.out.println("READY " + port + " " + bare.actualPort() + " " + authed.port() + " " + BENCH_KEY_PREFIX + 9);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Entities of each kind in source {@code visits}: a fiftieth of the run's entities, at most 10,000. */
    static int realEntities(int n) {
        return Math.max(1, Math.min(10_000, n / 50));
    }

    /**
     * Source {@code visits} (view {@code pr}, the features of {@code pb}, events with ids): {@code m} small entities
     * ({@code S<i>}, three events in the last 30 days, as in {@code activity}) and {@code m} REAL ones ({@code R<i>},
     * 300 events with ids over 60 days: a long inline tail and sealed blocks, an id hash per event in the index), so
     * that the same lookup can be timed on both.
     */
    static void loadVisits(EventStore events, int m, long now) {
        List<String> cols = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        cols.add("visit_id");
        types.add(ColumnType.STRING);
        doubles(cols, types, "b", COLS_B);
        int batch = 500;
        for (int from = 0; from < m; from += batch) {
            Map<String, EventBlock> small = new HashMap<>();
            Map<String, EventBlock> real = new HashMap<>();
            for (int e = from; e < Math.min(m, from + batch); e++) {
                SplittableRandom r = new SplittableRandom(1_000_003L * e + 17);
                for (String kind : new String[] {"S", "R"}) {
                    int count = kind.equals("S") ? 3 : REAL_EVENTS;
                    long span = kind.equals("S") ? 30 * DAY : 60 * DAY;
                    EventBlock.Builder bb = new EventBlock.Builder(cols, types);
                    for (int k = 0; k < count; k++) {
                        Object[] v = new Object[COLS_B + 1];
                        String id = kind + e + "-" + k;
                        v[0] = id;
                        for (int i = 1; i <= COLS_B; i++) {
                            v[i] = r.nextInt(100_000) / 100.0;
                        }
                        bb.add(now - r.nextLong(span), EventBlock.NO_CREATED, EventBlock.idHash(id), v);
                    }
                    (kind.equals("S") ? small : real).put(kind + e, bb.build());
                }
            }
            events.write("visits", small);
            events.write("visits", real);
        }
    }

    /** Events of each REAL entity. */
    static final int REAL_EVENTS = 300;

    /** Appends double columns {@code prefix0 .. prefix<n-1>}. */
    private static void doubles(List<String> cols, List<ColumnType> types, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            cols.add(prefix + i);
            types.add(ColumnType.DOUBLE);
        }
    }

    /** Writes the events as blocks straight into the event store (the receiver path, without HTTP or JSON). */
    static void load(EventStore events, int n, long now) {
        List<String> colsA = new ArrayList<>();
        List<ColumnType> typesA = new ArrayList<>();
        doubles(colsA, typesA, "a", PLAIN_A);
        List<String> colsB = new ArrayList<>();
        List<ColumnType> typesB = new ArrayList<>();
        doubles(colsB, typesB, "b", COLS_B);
        int batch = 20_000;
        for (int from = 0; from < n; from += batch) {
            Map<String, EventBlock> a = new HashMap<>();
            Map<String, EventBlock> b = new HashMap<>();
            for (int e = from; e < Math.min(n, from + batch); e++) {
                SplittableRandom r = new SplittableRandom(e);
                Object[] va = new Object[PLAIN_A];
                for (int i = 0; i < PLAIN_A; i++) {
                    va[i] = r.nextInt(100_000) / 100.0;
                }
                a.put(OnlineQueries.user(e), new EventBlock.Builder(colsA, typesA).add(now - r.nextLong(60 * DAY),
                    EventBlock.NO_CREATED, 0, va).build());
                EventBlock.Builder bb = new EventBlock.Builder(colsB, typesB);
                for (int k = 0; k < 3; k++) {
                    Object[] vb = new Object[COLS_B];
                    for (int i = 0; i < COLS_B; i++) {
                        vb[i] = r.nextInt(100_000) / 100.0;
                    }
                    bb.add(now - r.nextLong(30 * DAY), EventBlock.NO_CREATED, 0, vb);
                }
                b.put(OnlineQueries.user(e), bb.build());
            }
            events.write("profile", a);
            events.write("activity", b);
        }
        SplittableRandom r = new SplittableRandom(42);
        for (int from = 0; from < 100_000; from += 10_000) {
            EventBlock.Builder bb = new EventBlock.Builder(colsB, typesB);
            for (int k = 0; k < 10_000; k++) {
                Object[] vb = new Object[COLS_B];
                for (int i = 0; i < COLS_B; i++) {
                    vb[i] = r.nextInt(100_000) / 100.0;
                }
                bb.add(now - 1000 - r.nextLong(30 * DAY - 2000), EventBlock.NO_CREATED, 0, vb);
            }
            events.write("activity", Map.of("HEAVY", bb.build()));
        }
        loadVisits(events, realEntities(n), now);
        Object[] va = new Object[PLAIN_A];
        java.util.Arrays.fill(va, 1.5);
        events.write("profile", Map.of("HEAVY", new EventBlock.Builder(colsA, typesA).add(now - DAY, EventBlock.NO_CREATED, 0,
            va).build()));
    }
}
