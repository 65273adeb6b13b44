package io.hearth.bench;

import java.util.ArrayList;
import java.util.List;

/** The requests of {@code bench/run online}: name, path, body. The load generators send the same bodies. */
final class OnlineQueries {
    private OnlineQueries() {
    }

    static String user(int i) {
        return "U" + i;
    }

    /** 20 features: 10 plain of pa, and of pb 5 plain and 5 windowed (including 30d windows). */
    static final List<String> F20 = new ArrayList<>();
    /** 20 features of pr (visits: small and REAL entities): 5 plain and all 15 windowed. */
    static final List<String> R20 = new ArrayList<>();
    /** 50 features: all of pa and pb. */
    static final List<String> F50 = new ArrayList<>();

    static {
        for (int i = 0; i < 10; i++) {
            F20.add("pa:a" + i);
        }
        for (int i = 0; i < 5; i++) {
            F20.add("pb:b" + i);
        }
        for (String f : List.of("count_30d", "sum_30d", "avg_7d", "max_30d", "min_1d")) {
            F20.add("pb:" + f);
        }
        for (int i = 0; i < 5; i++) {
            R20.add("pr:b" + i);
        }
        for (String w : List.of("1d", "7d", "30d")) {
            for (String a : List.of("count", "sum", "avg", "min", "max")) {
                R20.add("pr:" + a + "_" + w);
            }
        }
        for (int i = 0; i < OnlineBenchServer.PLAIN_A; i++) {
            F50.add("pa:a" + i);
        }
        for (int i = 0; i < OnlineBenchServer.COLS_B; i++) {
            F50.add("pb:b" + i);
        }
        for (String w : List.of("1d", "7d", "30d")) {
            for (String a : List.of("count", "sum", "avg", "min", "max")) {
                F50.add("pb:" + a + "_" + w);
            }
        }
    }

    static String body(List<String> features, List<String> entities) {
        StringBuilder b = new StringBuilder("{\"features\":[");
        for (int i = 0; i < features.size(); i++) {
            b.append(i > 0 ? "," : "").append('"').append(features.get(i)).append('"');
        }
        b.append("],\"entities\":{\"user_id\":[");
        for (int i = 0; i < entities.size(); i++) {
            b.append(i > 0 ? "," : "").append('"').append(entities.get(i)).append('"');
        }
        return b.append("]}}").toString();
    }

    /** A lookup of feature service {@code service} for one user. */
    static String serviceBody(String service, String user) {
        return "{\"feature_service\":\"" + service + "\",\"entities\":{\"user_id\":[\"" + user + "\"]}}";
    }

    static List<String> users(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(user(from + i));
        }
        return out;
    }

    /** name, path, body: the captured answers the bare endpoint serves under /name. */
    static final String[][] ALL = {
        {"one20", "/get-online-features", body(F20, List.of("U1"))},
        {"batch100x50", "/get-online-features", body(F50, users(1000, 100))},
        {"batch100x50compact", "/v1/features/online", body(F50, users(1000, 100)).replaceFirst("}$", ",\"format\":\"compact\"}")},
        {"small20", "/get-online-features", body(R20, List.of("S1"))},
        {"real20", "/get-online-features", body(R20, List.of("R1"))},
        {"heavyPlain", "/get-online-features", body(List.of("pb:b0"), List.of("HEAVY"))},
        {"heavyWindow30d", "/get-online-features", body(List.of("pb:sum_30d"), List.of("HEAVY"))},
    };
}
