package io.hearth.gateway.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.Harness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookup answers are the same bytes whatever path computed them: every request of a fixed list (both endpoints, both
 * formats, short and full names, as_of, a feature service, repeated and unknown entities, and requests that fail) is
 * sent twice, once resolving its features and once from the cached plan, and both answers must equal, byte for byte,
 * the answers recorded in {@code lookup-answers.golden} by the lookup path before compiled plans (commit 4fd6c46).
 * {@code -Dhearth.golden.write=PATH} writes the answers of the code under test to PATH instead of comparing.
 */
class LookupBytesIT {
    static final long DAY = 86_400_000L;
    static final long NOW = Timestamps.parse("2026-03-01T00:00:00Z");
    static final Path GOLDEN = Path.of("src/test/resources/io/hearth/gateway/serving/lookup-answers.golden");

    @TempDir
    static Path dir;
    static Harness h;

    static String order(String id, String customer, double amount, String channel, long ts) {
        return "{\"customer_id\":\"" + customer + "\",\"order_id\":\"" + id + "\",\"amount\":" + amount + ",\"channel\":\""
            + channel + "\",\"event_ts\":\"" + Timestamps.format(ts) + "\"}\n";
    }

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 30).start();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
        StringBuilder orders = new StringBuilder();
        String[] channels = {"web", "app", "store"};
        for (int i = 0; i < 60; i++) {
            orders.append(order("o" + i, "C" + (i % 7), 1.5 * i + 0.1, channels[i % 3], NOW - (i * 13L % 40) * DAY / 3 - i));
        }
        assertThat(h.ndjson("orders", orders.toString()).json().get("accepted").asLong()).isEqualTo(60);
        String profiles = "{\"customer_id\":\"C1\",\"tier\":\"gold\",\"tenure_days\":12,\"updated_at\":\"2026-02-20T00:00:00Z\"}\n"
            + "{\"customer_id\":\"C2\",\"tier\":\"silver\",\"tenure_days\":400,\"updated_at\":\"2026-02-27T10:00:00Z\"}\n";
        assertThat(h.ndjson("profiles", profiles).json().get("accepted").asLong()).isEqualTo(2);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Endpoint and body of each request; the answers are compared in this order. */
    static List<String[]> requests() {
        String all = "\"customer_orders:last_amount\",\"customer_orders:last_channel\","
            + "\"customer_orders:purchase_frequency_30d\",\"customer_orders:average_order_value_30d\","
            + "\"customer_orders:spend_7d\",\"customer_orders:max_order_1d\",\"customer_orders:max_order_7d\","
            + "\"customer_profile:tier\",\"customer_profile:tenure_days\"";
        String mixed = "\"customer_profile:tier\",\"customer_orders:spend_7d\",\"customer_profile:tenure_days\","
            + "\"customer_orders:last_amount\"";
        String ents = "{\"customer_id\":[\"C0\",\"C1\",\"C2\",\"C3\",\"C4\",\"C5\",\"C6\",\"NOBODY\",\"C1\"]}";
        List<String[]> out = new ArrayList<>();
        for (String path : List.of("/get-online-features", "/v1/features/online")) {
            out.add(new String[] {path, "{\"features\":[" + all + "],\"entities\":" + ents + "}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "],\"entities\":" + ents + "}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "],\"entities\":" + ents + ",\"full_feature_names\":true}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "],\"entities\":" + ents + ",\"full_feature_names\":false}"});
            out.add(new String[] {path, "{\"features\":[" + all + "],\"entities\":" + ents + ",\"format\":\"compact\"}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "],\"entities\":" + ents
                + ",\"format\":\"compact\",\"full_feature_names\":false}"});
            out.add(new String[] {path, "{\"features\":[" + all + "],\"entities\":" + ents + ",\"as_of\":\""
                + Timestamps.format(NOW - 5 * DAY) + "\"}"});
            out.add(new String[] {path, "{\"feature_service\":\"churn_model_v1\",\"entities\":" + ents + "}"});
            out.add(new String[] {path, "{\"feature_service\":\"churn_model_v1\",\"entities\":" + ents
                + ",\"format\":\"compact\"}"});
            out.add(new String[] {path, "{\"features\":[\"customer_orders:last_amount\"],\"entities\":{\"customer_id\":[\"C3\"]}}"});
            // failures: the checks and their order are part of the answer
            out.add(new String[] {path, "{\"features\":[\"customer_orders:nope\"],\"entities\":" + ents + "}"});
            out.add(new String[] {path, "{\"features\":[\"customer_orders:last_amount\",\"customer_orders:last_amount\"],"
                + "\"entities\":" + ents + "}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "],\"entities\":{\"user\":[\"C1\"]}}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "],\"entities\":{\"customer_id\":[]}}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "]}"});
            out.add(new String[] {path, "{\"feature_service\":\"nope\",\"entities\":" + ents + "}"});
            out.add(new String[] {path, "{\"features\":[" + mixed + "],\"entities\":" + ents + ",\"format\":\"rows\"}"});
        }
        return out;
    }

    static String answer(String[] request) {
        Harness.Response r = h.postJson(request[0], request[1]);
        return r.status() + " " + request[0] + " " + request[1] + "\n" + r.body() + "\n";
    }

    @Test
    void everyAnswerIsTheBytesOfTheLookupPathBeforePlansWhetherItsPlanWasCachedOrNot() throws IOException {
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();
        for (String[] r : requests()) {
            first.append(answer(r));
        }
        for (String[] r : requests()) {
            second.append(answer(r));
        }
        String write = System.getProperty("hearth.golden.write");
        if (write != null) {
            Files.writeString(Path.of(write), first.toString(), StandardCharsets.UTF_8);
            return;
        }
        String golden;
        try {
            golden = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("no golden answers at " + GOLDEN.toAbsolutePath(), e);
        }
        assertThat(first.toString()).as("answers with plans resolved afresh").isEqualTo(golden);
        assertThat(second.toString()).as("answers from cached plans").isEqualTo(golden);
    }
}
