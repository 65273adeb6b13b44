package io.hearth.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * A stored reference distribution that drift expectations compare windows with: the values of a source column over
 * a time range, or of a feature in a training set. It keeps the decile edges and each decile bin's share of the
 * reference's values (for PSI) and up to {@link #SAMPLE} of its values at evenly spaced ranks (for KS: exact when the
 * reference has no more values than that, else within {@code 1/SAMPLE} of its distribution function).
 */
public record Reference(String name, String source, String column, String feature, String trainingSet, Long from,
                        Long to, long count, long nulls, double[] edges, double[] shares, double[] sample,
                        double mean, double stddev, long createdAt) {
    public static final int SAMPLE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reference of {@code values} (non-null, in any order; sorted here) and {@code nulls} left out. */
    public static Reference of(String name, String source, String column, String feature, String trainingSet, Long from,
                               Long to, double[] values, long nulls, long createdAt) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] edges = Drift.decileEdges(sorted);
        double[] shares = Drift.shares(edges, sorted, sorted.length);
        double[] sample = sorted;
        if (sorted.length > SAMPLE) {
            sample = new double[SAMPLE];
            for (int i = 0; i < SAMPLE; i++) {
                sample[i] = Drift.quantile(sorted, i / (double) (SAMPLE - 1));
            }
        }
        double mean = 0;
        for (double v : sorted) {
            mean += v;
        }
        mean /= sorted.length;
        double m2 = 0;
        for (double v : sorted) {
            m2 += (v - mean) * (v - mean);
        }
        double sd = sorted.length > 1 ? Math.sqrt(m2 / (sorted.length - 1)) : 0;
        return new Reference(name, source, column, feature, trainingSet, from, to, sorted.length, nulls, edges, shares,
            sample, mean, sd, createdAt);
    }

    /** The drift statistic of a window's non-null values ({@code n} of {@code values}, any order; sorted here). */
    public double distance(io.hearth.catalog.Expectation.Method method, double[] values, int n) {
        if (method == io.hearth.catalog.Expectation.Method.KS) {
            double[] cur = Arrays.copyOf(values, n);
            Arrays.sort(cur);
            return Drift.ks(sample, cur, n);
        }
        return Drift.psi(shares, Drift.shares(edges, values, n));
    }

    public ObjectNode toJson(boolean withSample) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        o.put("source", source);
        o.put("column", column);
        o.put("feature", feature);
        o.put("training_set", trainingSet);
        if (from != null) {
            o.put("from", io.hearth.compute.time.Timestamps.format(from));
        } else {
            o.putNull("from");
        }
        if (to != null) {
            o.put("to", io.hearth.compute.time.Timestamps.format(to));
        } else {
            o.putNull("to");
        }
        o.put("count", count);
        o.put("nulls", nulls);
        o.put("mean", mean);
        o.put("stddev", stddev);
        var e = o.putArray("decile_edges");
        for (double d : edges) {
            e.add(d);
        }
        var s = o.putArray("bin_shares");
        for (double d : shares) {
            s.add(d);
        }
        if (withSample) {
            var a = o.putArray("sample");
            for (double d : sample) {
                a.add(d);
            }
        }
        o.put("created_at", io.hearth.compute.time.Timestamps.format(createdAt));
        return o;
    }

    /** As the references cache stores it. */
    public String stored() {
        ObjectNode o = toJson(true);
        o.put("from_ms", from);
        o.put("to_ms", to);
        o.put("created_ms", createdAt);
        return o.toString();
    }

    public static Reference parse(String stored) {
        try {
            JsonNode o = JSON.readTree(stored);
            return new Reference(text(o, "name"), text(o, "source"), text(o, "column"), text(o, "feature"),
                text(o, "training_set"), o.path("from_ms").isNumber() ? o.get("from_ms").asLong() : null,
                o.path("to_ms").isNumber() ? o.get("to_ms").asLong() : null, o.get("count").asLong(),
                o.get("nulls").asLong(), doubles(o.get("decile_edges")), doubles(o.get("bin_shares")),
                doubles(o.get("sample")), o.get("mean").asDouble(), o.get("stddev").asDouble(), o.get("created_ms").asLong());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored reference is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode o, String k) {
        JsonNode v = o.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }
}
