package io.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.lineage.Runs;
import io.hearth.gateway.HearthGateway;
import io.hearth.ingest.Breakers;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.search.Catalog;
import io.hearth.search.CatalogIndex;
import io.hearth.search.CatalogObject;
import io.hearth.search.ObjectKind;
import io.hearth.search.SearchQuery;
import io.hearth.testing.SyntheticCatalog;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * {@code bench/run catalog [--features N] [--queries N]}: the catalog index at registry scale. Builds definitions of
 * 10,000 features (with entities, sources, views, services and models in proportion, plus the demo), measures the
 * index build (what every registry change costs the first search after it), then a mix of searches (exact names,
 * typos, prefixes, filtered and faceted) in-process against the index and over HTTP against a gateway on a real
 * node in this JVM, after warm-up, with HdrHistogram. Prints its figures; the last line is one JSON object. Goal: p99
 * under 20 ms at 10k features.
 */
public final class CatalogBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One query of the mix: its type, the query string of the HTTP request, and the same as a SearchQuery. */
    record Query(String type, String http, SearchQuery query) {
    }

    public static void main(String[] args) throws Exception {
        int features = 10_000;
        int queries = 5_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--features" -> features = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--quick" -> {
                    features = 2_000;
                    queries = 2_000;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                    + " (use --features N, --queries N, --quick)");
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bench", "catalog");
        figures.put("features", features);
        System.out.printf("Catalog bench: %,d features, %,d measured queries per phase, %d cores%n", features, queries,
            Runtime.getRuntime().availableProcessors());

        long t0 = System.nanoTime();
        String demo = Files.readString(Path.of("config/demo/definitions.yaml"));
        Definitions defs = DefinitionsParser.parse(List.of(new DefinitionsParser.Input("demo.yaml", demo),
            new DefinitionsParser.Input("synthetic.yaml", SyntheticCatalog.yaml(20_260_301L, features))));
        System.out.printf("definitions: %d entities, %d sources, %d views, %d features, %d services, %d models, parsed "
            + "in %.2f s%n", defs.entities().size(), defs.sources().size(), defs.featureViews().size(),
            defs.featureRefs().size(), defs.featureServices().size(), defs.models().size(), (System.nanoTime() - t0) / 1e9);

        // ---- index build: the first is cold (what a gateway pays after start); then warm, as after an apply
        Catalog catalog = Catalog.of(defs, Runs.NONE);
        double[] wall = new double[7];
        double[] cpu = new double[7];
        CatalogIndex index = null;
        for (int i = 0; i < wall.length; i++) {
            long w = System.nanoTime();
            long c = cpuNanos();
            CatalogIndex built = CatalogIndex.build(Catalog.of(defs, Runs.NONE));
            wall[i] = (System.nanoTime() - w) / 1e9;
            cpu[i] = (cpuNanos() - c) / 1e9;
            if (index != null) {
                index.close();
            }
            index = built;
        }
        double[] warm = Arrays.copyOfRange(wall, 1, wall.length);
        Arrays.sort(warm);
        double[] warmCpu = Arrays.copyOfRange(cpu, 1, cpu.length);
        Arrays.sort(warmCpu);
        System.out.printf("index build (%,d objects): cold %.3f s, warm median %.3f s (CPU %.3f s), warm max %.3f s%n",
            index.size(), wall[0], warm[warm.length / 2], warmCpu[warmCpu.length / 2], warm[warm.length - 1]);
        figures.put("objects", index.size());
        figures.put("index_rebuild_s", round(warm[warm.length / 2]));
        figures.put("index_rebuild_cold_s", round(wall[0]));
        figures.put("index_rebuild_cpu_s", round(warmCpu[warmCpu.length / 2]));

        List<Query> mix = mix(catalog, queries * 2, new SplittableRandom(7));
        // ---- in-process
        for (Query q : mix.subList(0, queries)) { // warm-up
            index.search(q.query());
        }
        Map<String, Histogram> local = new LinkedHashMap<>();
        for (Query q : mix.subList(queries, mix.size())) {
            long s = System.nanoTime();
            index.search(q.query());
            record(local, q.type(), System.nanoTime() - s);
        }
        report("in-process (index.search, one thread)", local, figures, "index_search");

        // ---- over HTTP, against a gateway on a node in this JVM
        Path dir = Files.createTempDirectory("hearth-catalog-bench");
        int disco = BenchSupport.freePortBase();
        NodeSettings ns = NodeSettings.server(dir).withPorts(disco, BenchSupport.freePortBase(), BenchSupport.freePortBase())
            .withPeers(List.of("127.0.0.1:" + disco)).withLimits(256L << 20, 16L << 20);
        try (HearthNode node = new HearthNode(ns).start();
             HearthGateway gateway = new HearthGateway(node.ignite(), new HearthGateway.Settings("127.0.0.1", 0, 1L << 30,
                 64L << 20, Breakers.Settings.defaults()), Clock.systemUTC()).start()) {
            long a = System.nanoTime();
            gateway.registry().apply(defs, true);
            System.out.printf("registry applied (%d event caches) in %.1f s%n", defs.sources().size(),
                (System.nanoTime() - a) / 1e9);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + gateway.port() + "/v1/catalog/search?";
            long first = System.nanoTime();
            JsonNode firstAnswer = get(http, base + "q=amount");
            double firstMs = (System.nanoTime() - first) / 1e6;
            System.out.printf("first search after the apply (builds the index): %.0f ms, %d hits in all%n", firstMs,
                firstAnswer.get("total").asLong());
            figures.put("first_search_after_apply_ms", Math.round(firstMs));
            for (Query q : mix.subList(0, queries)) {
                get(http, base + q.http());
            }
            Map<String, Histogram> remote = new LinkedHashMap<>();
            for (Query q : mix.subList(queries, mix.size())) {
                long s = System.nanoTime();
                get(http, base + q.http());
                record(remote, q.type(), System.nanoTime() - s);
            }
            report("over HTTP (one connection, sequential)", remote, figures, "search");
            // a change to one description: the next search rebuilds, then answers with it
            Definitions changed = DefinitionsParser.parse("changed.yaml", io.hearth.catalog.CanonicalForm.toJson(defs)
                .replace("Total spent in the last 7 days.", "Total spent in the last 7 days, refunds excluded."));
            gateway.registry().apply(changed, true);
            long r = System.nanoTime();
            JsonNode seen = get(http, base + "q=" + enc("refunds excluded") + "&kind=feature");
            double afterMs = (System.nanoTime() - r) / 1e6;
            System.out.printf("search right after an apply changing one description: %.0f ms, %d hit(s)%n", afterMs,
                seen.get("total").asLong());
            figures.put("search_after_change_ms", Math.round(afterMs));
            if (seen.get("total").asLong() != 1) {
                throw new IllegalStateException("the search after the apply did not see it: " + seen);
            }
        } finally {
            index.close();
            BenchSupport.deleteTree(dir);
        }
        System.out.println(JSON.writeValueAsString(figures));
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * The query mix, a quarter each: an object's exact name; a word of five letters or more of a name with one or two
     * edits; the first three to five letters of a name word; a word with a kind, owner or tag filter (or filters only).
     */
    static List<Query> mix(Catalog catalog, int n, SplittableRandom rnd) {
        List<CatalogObject> objects = catalog.objects();
        List<Query> out = new ArrayList<>(n);
        String[] kinds = {"feature", "view", "column", "source", "service"};
        while (out.size() < n) {
            CatalogObject o = objects.get(rnd.nextInt(objects.size()));
            List<String> words = words(o.name());
            String word = words.get(rnd.nextInt(words.size()));
            switch (out.size() % 4) {
                case 0 -> out.add(query("exact", o.name(), null, null, null));
                case 1 -> {
                    String longWord = words.stream().filter(w -> w.length() >= 6).findFirst().orElse(null);
                    if (longWord != null) {
                        out.add(query("typo", typo(longWord, rnd), null, null, null));
                    }
                }
                case 2 -> out.add(query("prefix", word.substring(0, Math.min(word.length(), 3 + rnd.nextInt(3))), null, null,
                    null));
                default -> {
                    String owner = o.owner();
                    String tag = o.tags().isEmpty() ? null : o.tags().get(0);
                    switch (rnd.nextInt(3)) {
                        case 0 -> out.add(query("faceted", word, kinds[rnd.nextInt(kinds.length)], null, null));
                        case 1 -> out.add(query("faceted", rnd.nextBoolean() ? word : "", null, owner, null));
                        default -> out.add(query("faceted", word, o.kind().spelling(), null, tag));
                    }
                }
            }
        }
        return out;
    }

    private static Query query(String type, String q, String kind, String owner, String tag) {
        StringBuilder http = new StringBuilder("q=").append(enc(q));
        if (kind != null) {
            http.append("&kind=").append(kind);
        }
        if (owner != null) {
            http.append("&owner=").append(enc(owner));
        }
        if (tag != null) {
            http.append("&tag=").append(enc(tag));
        }
        return new Query(type, http.toString(), new SearchQuery(q, kind == null ? null : ObjectKind.of(kind).orElseThrow(),
            owner, tag, null, null, SearchQuery.DEFAULT_LIMIT, 0));
    }

    private static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        for (String w : name.split("[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")) {
            if (w.length() >= 2) {
                out.add(w.toLowerCase(Locale.ROOT));
            }
        }
        return out.isEmpty() ? List.of(name.toLowerCase(Locale.ROOT)) : out;
    }

    /** One or two edits: a letter dropped, doubled, or two neighbours swapped. */
    private static String typo(String w, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(w);
        int edits = 1 + rnd.nextInt(2);
        for (int e = 0; e < edits; e++) {
            int i = 1 + rnd.nextInt(sb.length() - 2);
            switch (rnd.nextInt(3)) {
                case 0 -> sb.deleteCharAt(i);
                case 1 -> sb.insert(i, sb.charAt(i));
                default -> {
                    char c = sb.charAt(i);
                    sb.setCharAt(i, sb.charAt(i + 1));
                    sb.setCharAt(i + 1, c);
                }
            }
        }
        return sb.toString();
    }

    private static void record(Map<String, Histogram> hs, String type, long nanos) {
        hs.computeIfAbsent(type, k -> new Histogram(3_600_000_000_000L, 3)).recordValue(nanos);
        hs.computeIfAbsent("all", k -> new Histogram(3_600_000_000_000L, 3)).recordValue(nanos);
    }

    private static void report(String title, Map<String, Histogram> hs, Map<String, Object> figures, String prefix) {
        System.out.println(title + ":");
        System.out.println("  type      count    p50 ms   p95 ms   p99 ms   max ms");
        Map<String, Histogram> ordered = new LinkedHashMap<>();
        for (String t : List.of("exact", "typo", "prefix", "faceted", "all")) {
            if (hs.containsKey(t)) {
                ordered.put(t, hs.get(t));
            }
        }
        ordered.forEach((t, h) -> System.out.printf("  %-8s %6d %9.2f %8.2f %8.2f %8.2f%n", t, h.getTotalCount(),
            ms(h, 50), ms(h, 95), ms(h, 99), h.getMaxValue() / 1e6));
        Histogram all = hs.get("all");
        figures.put(prefix + "_p50_ms", round(ms(all, 50)));
        figures.put(prefix + "_p99_ms", round(ms(all, 99)));
        figures.put(prefix + "_max_ms", round(all.getMaxValue() / 1e6));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
