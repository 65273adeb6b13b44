package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/examples compile against Ignite alone and run against a real node. */
class TrainingExamplesIT {
    @TempDir
    Path dir;

    @Test
    void theThinClientExampleBuildsAndReadsATrainingSet() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
            "../docs/examples/ThinClientExtract.java");
        assertThat(rc).as("docs/examples/ThinClientExtract.java compiles").isZero();

        try (Harness h = new Harness(dir.resolve("node"), System.currentTimeMillis(), 1L << 30).start()) {
            assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
            long now = System.currentTimeMillis();
            h.ndjson("orders", "{\"customer_id\":\"C1001\",\"order_id\":\"x1\",\"amount\":12.5,\"channel\":\"web\","
                + "\"event_ts\":" + (now - 3 * 86_400_000L) + "}\n");
            PrintStream old = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (URLClassLoader cl = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                Method main = cl.loadClass("ThinClientExtract").getMethod("main", String[].class);
                main.invoke(null, (Object) new String[] {"127.0.0.1:" + h.clientPort()});
            } finally {
                System.setOut(old);
            }
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList(); // log lines share stdout
            assertThat(lines.get(0)).startsWith("extract: {").contains("\"rows\":3");
            assertThat(lines.get(1)).isEqualTo("id,customer_id,event_ts,churned,customer_orders__purchase_frequency_30d,"
                + "customer_orders__average_order_value_30d,customer_orders__last_amount,customer_profile__tier,"
                + "customer_profile__tenure_days");
            assertThat(lines).hasSize(5);
            assertThat(lines.get(2)).startsWith("1,C1001,").contains(",1,12.5,12.5,");
            assertThat(lines.get(4)).startsWith("3,C1001,").contains(",1,12.5,12.5,");
        }
    }
}
