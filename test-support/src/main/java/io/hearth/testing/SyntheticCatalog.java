package io.hearth.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Definitions of a large, plausible catalog as YAML text, for search tests and the catalog benchmark: entities,
 * sources with typed columns, feature views of windowed aggregates and plain features with descriptions, owners and
 * tags, feature services and models, in proportion to the number of features asked for (a view per 20 features, a
 * source per 10 views, an entity per 3 sources, a service per 50 features, a model per 4 services). Names are mostly
 * snake_case, a fifth camelCase, as real registries mix them; about 3% of features are deprecated. The same seed
 * gives the same text. No name is one the demo definitions use, so the two parse together (no {@code project} key).
 */
public final class SyntheticCatalog {
    private static final String[] ENTITIES = {"merchant", "product", "driver", "device", "store", "account", "session",
        "campaign", "seller", "courier", "warehouse", "card", "advertiser", "listing", "restaurant", "rider", "subscriber",
        "household", "vehicle", "partner"};
    private static final String[] SOURCES = {"payments", "clicks", "page_views", "refunds", "shipments", "logins",
        "searches", "ratings", "deliveries", "transactions", "impressions", "app_events", "returns", "reviews",
        "cart_events", "support_tickets", "subscriptions", "invoices", "trips", "bookings", "messages", "uploads",
        "chargebacks", "visits", "inventory_moves"};
    private static final String[] NUMERIC = {"amount", "price", "quantity", "discount", "duration_ms", "latency_ms",
        "rating", "distance_km", "tip_amount", "basket_size", "items", "score", "fee", "balance", "weight_kg",
        "dwell_time_s", "retries", "tax"};
    private static final String[] CATEGORICAL = {"status", "channel", "country", "device_type", "category", "currency",
        "payment_method", "city", "language", "browser", "plan", "reason_code"};
    private static final String[] TEAMS = {"growth-team", "risk-team", "payments-team", "search-team", "ads-team",
        "logistics-team", "fraud-team", "pricing-team", "crm-team", "ml-platform", "marketplace-team", "trust-safety",
        "supply-team", "checkout-team", "data-eng", "recsys-team", "support-analytics", "finance-analytics",
        "mobile-team", "web-team", "ops-research", "insurance-team", "loyalty-team", "catalog-team", "identity-team",
        "experimentation", "forecasting", "retention-team", "merchant-success", "partnerships"};
    private static final String[] WORD_TAGS = {"pii", "experimental", "gdpr", "realtime", "batch", "gold", "beta",
        "financial", "sensitive", "core"};
    private static final String[] DOMAINS = {"commerce", "risk", "logistics", "marketing", "finance", "support",
        "search", "identity"};
    private static final String[] PURPOSES = {"churn", "fraud", "ranking", "eta", "pricing", "ltv", "conversion",
        "recommendation", "demand", "retention", "upsell", "abuse"};
    private static final String[][] WINDOWS = {{"1h", "hour"}, {"1d", "day"}, {"7d", "7 days"}, {"14d", "14 days"},
        {"30d", "30 days"}, {"90d", "90 days"}};
    /** Aggregation, the words a name may use for it, and how a description says it. */
    private static final String[][] AGGREGATIONS = {{"sum", "total|sum", "Total"}, {"avg", "avg|average|mean", "Mean"},
        {"count", "count|num", "Number of"}, {"max", "max|largest", "Largest"}, {"min", "min|smallest", "Smallest"},
        {"stddev", "stddev|std", "Standard deviation of"}, {"count_distinct", "distinct|unique", "Distinct"},
        {"last", "last|latest", "Latest"}};

    private SyntheticCatalog() {
    }

    /** Definitions with about {@code features} features (exactly that many), as YAML. */
    public static String yaml(long seed, int features) {
        if (features < 1) {
            throw new IllegalArgumentException("features must be at least 1, got " + features);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int views = (features + 19) / 20;
        int sources = Math.max(1, (views + 9) / 10);
        int entities = Math.max(1, (sources + 2) / 3);
        StringBuilder y = new StringBuilder(features * 200);
        y.append("# Synthetic catalog: ").append(features).append(" features, seed ").append(seed).append('\n');

        List<String> entityNames = names(ENTITIES, entities);
        y.append("entities:\n");
        for (String e : entityNames) {
            y.append("  - name: ").append(e).append('\n');
            y.append("    join_keys: [").append(e).append("_id]\n");
            y.append("    description: ").append(cap(e.replace('_', ' '))).append("s known to the platform.\n");
            meta(y, "    ", rnd, true);
        }

        List<String> sourceNames = names(SOURCES, sources);
        Map<String, String> sourceEntity = new LinkedHashMap<>();
        Map<String, List<String>> numeric = new LinkedHashMap<>();
        Map<String, List<String>> categorical = new LinkedHashMap<>();
        y.append("sources:\n");
        for (int i = 0; i < sourceNames.size(); i++) {
            String s = sourceNames.get(i);
            String e = entityNames.get(i % entityNames.size());
            sourceEntity.put(s, e);
            List<String> num = pick(NUMERIC, 4 + rnd.nextInt(5), rnd);
            List<String> cat = pick(CATEGORICAL, 2 + rnd.nextInt(4), rnd);
            numeric.put(s, num);
            categorical.put(s, cat);
            y.append("  - name: ").append(s).append('\n');
            y.append("    entity: ").append(e).append('\n');
            y.append("    timestamp_field: event_ts\n");
            y.append("    schema:\n");
            y.append("      ").append(e).append("_id: {type: string, description: The ").append(e.replace('_', ' '))
                .append("'s id., tags: [pii]}\n");
            for (String c : num) {
                y.append("      ").append(c).append(rnd.nextInt(3) == 0 ? ": long\n" : ": double\n");
            }
            for (String c : cat) {
                y.append("      ").append(c).append(rnd.nextInt(4) == 0
                    ? ": {type: string, description: " + cap(c.replace('_', ' ')) + " as the client reported it.}\n"
                    : ": string\n");
            }
            y.append("      event_ts: timestamp\n");
            if (rnd.nextInt(3) == 0) {
                y.append("    streams: {kafka: {topic: events.").append(s).append("}}\n");
            }
            y.append("    description: One event per ").append(singular(s).replace('_', ' ')).append(" of a ")
                .append(e.replace('_', ' ')).append(".\n");
            meta(y, "    ", rnd, true);
        }

        Map<String, List<String>> viewFeatures = new LinkedHashMap<>();
        Map<String, String> viewEntity = new LinkedHashMap<>();
        y.append("feature_views:\n");
        int left = features;
        for (int v = 0; v < views; v++) {
            String s = sourceNames.get(v % sourceNames.size());
            String e = sourceEntity.get(s);
            String view = e + "_" + s + "_" + (v / sourceNames.size() + 1);
            viewEntity.put(view, e);
            int n = Math.min(20, left);
            left -= n;
            y.append("  - name: ").append(view).append('\n');
            y.append("    entity: ").append(e).append('\n');
            y.append("    source: ").append(s).append('\n');
            y.append("    ttl: ").append(new String[] {"7d", "30d", "90d", "365d"}[rnd.nextInt(4)]).append('\n');
            y.append("    features:\n");
            boolean camel = rnd.nextInt(5) == 0;
            Set<String> taken = new LinkedHashSet<>();
            List<String> names = new ArrayList<>();
            for (int f = 0; f < n; f++) {
                String[] feature = feature(rnd, numeric.get(s), categorical.get(s), e, s, camel, taken);
                names.add(feature[0]);
                y.append("      - name: ").append(feature[0]).append('\n');
                if (feature[1] != null) {
                    y.append("        column: ").append(feature[1]).append('\n');
                }
                if (feature[2] != null) {
                    y.append("        aggregation: ").append(feature[2]).append('\n');
                    y.append("        window: ").append(feature[3]).append('\n');
                }
                y.append("        description: ").append(feature[4]).append('\n');
                if (rnd.nextInt(10) == 0) {
                    y.append("        owner: ").append(TEAMS[rnd.nextInt(TEAMS.length)]).append('\n');
                }
                if (rnd.nextInt(6) == 0) {
                    y.append("        tags: [").append(WORD_TAGS[rnd.nextInt(WORD_TAGS.length)]).append("]\n");
                }
                if (rnd.nextInt(33) == 0) {
                    y.append("        deprecated: {since: 2026-0").append(1 + rnd.nextInt(9)).append("-1")
                        .append(rnd.nextInt(10)).append(", reason: Superseded by a longer window.}\n");
                }
            }
            viewFeatures.put(view, names);
            y.append("    description: ").append(cap(s.replace('_', ' '))).append(" behaviour per ")
                .append(e.replace('_', ' ')).append(".\n");
            y.append("    owner: ").append(TEAMS[rnd.nextInt(TEAMS.length)]).append('\n');
            y.append("    tags: {domain: ").append(DOMAINS[rnd.nextInt(DOMAINS.length)]).append("}\n");
        }

        int services = Math.max(1, features / 50);
        List<String> viewNames = new ArrayList<>(viewFeatures.keySet());
        List<String> serviceNames = new ArrayList<>();
        y.append("feature_services:\n");
        for (int i = 0; i < services; i++) {
            String first = viewNames.get(rnd.nextInt(viewNames.size()));
            String entity = viewEntity.get(first);
            List<String> sameEntity = viewNames.stream().filter(v -> viewEntity.get(v).equals(entity)).toList();
            String purpose = PURPOSES[rnd.nextInt(PURPOSES.length)];
            String name = entity + "_" + purpose + "_v" + (i + 1);
            serviceNames.add(name);
            y.append("  - name: ").append(name).append('\n');
            y.append("    features:\n");
            Set<String> chosen = new LinkedHashSet<>();
            int want = 5 + rnd.nextInt(26);
            for (int k = 0; k < want * 2 && chosen.size() < want; k++) {
                String v = sameEntity.get(rnd.nextInt(sameEntity.size()));
                List<String> fs = viewFeatures.get(v);
                chosen.add(v + ":" + fs.get(rnd.nextInt(fs.size())));
            }
            for (String ref : chosen) {
                y.append("      - \"").append(ref).append("\"\n");
            }
            y.append("    description: Inputs of the ").append(purpose).append(" model for ")
                .append(entity.replace('_', ' ')).append("s.\n");
            meta(y, "    ", rnd, false);
        }

        int models = Math.max(1, services / 4);
        y.append("models:\n");
        for (int i = 0; i < models; i++) {
            String service = serviceNames.get(rnd.nextInt(serviceNames.size()));
            y.append("  - name: model_").append(service).append('_').append(i + 1).append('\n');
            y.append("    version: ").append(1 + rnd.nextInt(5)).append('\n');
            y.append("    feature_service: ").append(service).append('\n');
            y.append("    training_sets: [train_").append(service).append("]\n");
            y.append("    description: Gradient-boosted trees scoring ").append(service.replace('_', ' ')).append(".\n");
            y.append("    owner: ").append(TEAMS[rnd.nextInt(TEAMS.length)]).append('\n');
            y.append("    tags: [production]\n");
        }
        return y.toString();
    }

    /** {name, column or null, aggregation or null, window or null, description}. */
    private static String[] feature(SplittableRandom rnd, List<String> num, List<String> cat, String entity,
                                    String source, boolean camel, Set<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String[] out = new String[5];
            String who = entity.replace('_', ' ');
            if (rnd.nextInt(6) == 0) { // a plain feature: the latest value of a column
                String c = rnd.nextBoolean() ? num.get(rnd.nextInt(num.size())) : cat.get(rnd.nextInt(cat.size()));
                out[0] = name(camel, "last", c, null);
                out[1] = c;
                out[4] = cap(c.replace('_', ' ')) + " of the " + who + "'s latest " + singular(source).replace('_', ' ')
                    + ".";
            } else {
                String[] agg = AGGREGATIONS[rnd.nextInt(AGGREGATIONS.length)];
                String[] words = agg[1].split("\\|");
                String word = words[rnd.nextInt(words.length)];
                String[] w = WINDOWS[rnd.nextInt(WINDOWS.length)];
                boolean numeric = !agg[0].equals("count_distinct") && !agg[0].equals("last");
                String c = agg[0].equals("count") ? (rnd.nextBoolean() ? null : num.get(rnd.nextInt(num.size())))
                    : numeric ? num.get(rnd.nextInt(num.size())) : cat.get(rnd.nextInt(cat.size()));
                out[0] = name(camel, word, c == null ? source : c, w[0]);
                out[1] = c;
                out[2] = agg[0];
                out[3] = w[0];
                out[4] = agg[2] + " " + (c == null ? source.replace('_', ' ') : c.replace('_', ' ')) + " of the " + who
                    + " over the last " + w[1] + ".";
            }
            if (attempt > 0) {
                out[0] = out[0] + (camel ? "V" : "_v") + (attempt + 1);
            }
            if (out[0].length() <= 64 && taken.add(out[0])) {
                return out;
            }
        }
    }

    private static String name(boolean camel, String head, String subject, String window) {
        List<String> parts = new ArrayList<>(List.of(head.split("_")));
        parts.addAll(List.of(subject.split("_")));
        if (window != null) {
            parts.add(window);
        }
        if (!camel) {
            return String.join("_", parts);
        }
        StringBuilder sb = new StringBuilder(parts.get(0));
        for (int i = 1; i < parts.size(); i++) {
            sb.append(Character.toUpperCase(parts.get(i).charAt(0))).append(parts.get(i).substring(1));
        }
        return sb.toString();
    }

    private static void meta(StringBuilder y, String indent, SplittableRandom rnd, boolean domain) {
        y.append(indent).append("owner: ").append(TEAMS[rnd.nextInt(TEAMS.length)]).append('\n');
        List<String> tags = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            tags.add(WORD_TAGS[rnd.nextInt(WORD_TAGS.length)]);
        }
        if (domain) {
            tags.add("{domain: " + DOMAINS[rnd.nextInt(DOMAINS.length)] + "}");
        }
        if (!tags.isEmpty()) {
            y.append(indent).append("tags: [").append(String.join(", ", tags)).append("]\n");
        }
    }

    /** {@code n} names from the list, then the list again with a number after each. */
    private static List<String> names(String[] base, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i < base.length ? base[i] : base[i % base.length] + "_" + (i / base.length + 1));
        }
        return out;
    }

    private static List<String> pick(String[] from, int n, SplittableRandom rnd) {
        List<String> all = new ArrayList<>(List.of(from));
        for (int i = all.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        return all.subList(0, Math.min(n, all.size()));
    }

    private static String singular(String plural) {
        return plural.endsWith("ies") ? plural.substring(0, plural.length() - 3) + "y"
            : plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
