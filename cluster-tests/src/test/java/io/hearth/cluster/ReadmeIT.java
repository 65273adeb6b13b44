package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * README.md is the contract: its shell blocks run here, in order, exactly as written, from the repository root,
 * against real processes ({@code ./hearth up}, {@code ./hearth kafka}, three {@code ./hearth node}s and two
 * gateways). An HTML comment before a block says how ({@code <!-- readme-test: ... -->}): {@code skip REASON},
 * {@code background} (a server: started, and waited for until its output matches {@code ready "REGEX"}),
 * {@code background-each} (each line is a server), {@code replaces-up} (stop the running {@code ./hearth up}
 * first, as Ctrl-C does), {@code stop-background} (stop every server first), {@code exit N} (expected status,
 * default 0) and {@code expect "TEXT"} (the output contains it). Every other block must exit 0. Blocks run as a
 * person's shell runs them, with {@code bash -e}: a failing command stops the block, and a pipeline's status is its
 * last command's ({@code curl ... | head} is fine when head stops reading).
 */
class ReadmeIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern DIRECTIVE = Pattern.compile("<!-- readme-test: (.*) -->");
    private static final Pattern TOKEN = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)");
    private static final Duration STEP = Duration.ofMinutes(3);

    record Block(int line, String code, Map<String, List<String>> how) {
        boolean has(String d) {
            return how.containsKey(d);
        }

        List<String> all(String d) {
            return how.getOrDefault(d, List.of());
        }
    }

    /** A server a block started, with its output file. */
    record Server(String command, Process process, Path log) {
    }

    private final List<Server> servers = new ArrayList<>();
    private Path logs;
    /** Set once the README's directories were found absent: only then are they this test's to delete. */
    private boolean ownsDirectories;

    @AfterEach
    void stopAndClean() throws Exception {
        stopAll();
        if (ownsDirectories) {
            for (String d : List.of("hearth-data", "hearth-kafka", "cluster")) {
                delete(ROOT.resolve(d));
            }
        }
    }

    static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        List<Block> out = new ArrayList<>();
        Map<String, List<String>> pending = Map.of();
        for (int i = 0; i < lines.size(); i++) {
            Matcher d = DIRECTIVE.matcher(lines.get(i).trim());
            if (d.matches()) {
                pending = parse(d.group(1));
                continue;
            }
            if (lines.get(i).trim().equals("```bash")) {
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = start; !lines.get(i).trim().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                out.add(new Block(start, code.toString(), pending));
                pending = Map.of();
            } else if (!lines.get(i).isBlank()) {
                pending = Map.of(); // a directive belongs to the block right after it
            }
        }
        return out;
    }

    /** Words and quoted strings; {@code ready}, {@code expect} and {@code exit} take the token after them. */
    private static Map<String, List<String>> parse(String text) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (text.startsWith("skip")) {
            m.put("skip", List.of(text.substring(4).trim()));
            return m;
        }
        List<String> tokens = new ArrayList<>();
        Matcher t = TOKEN.matcher(text);
        while (t.find()) {
            tokens.add(t.group(1) != null ? t.group(1).replace("\\\"", "\"") : t.group(2));
        }
        for (int i = 0; i < tokens.size(); i++) {
            String k = tokens.get(i);
            boolean takesValue = k.equals("ready") || k.equals("expect") || k.equals("exit");
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(takesValue ? tokens.get(++i) : "");
        }
        return m;
    }

    @Test
    void everyCommandOfTheReadmeWorksAsWritten() throws Exception {
        for (int port : new int[] {6566, 6567, 9092, 10800, 47100, 47500}) {
            assertThat(free(port)).as("port %d is free (stop any Hearth or Kafka running here: the README's commands "
                + "use the default ports)", port).isTrue();
        }
        for (String d : List.of("hearth-data", "hearth-kafka", "cluster")) {
            assertThat(ROOT.resolve(d)).as("no %s in the repository yet (the README's commands create it)", d)
                .doesNotExist();
        }
        ownsDirectories = true;
        logs = Files.createTempDirectory("readme-it");
        List<Block> blocks = blocks();
        assertThat(blocks).as("README.md has shell blocks").hasSizeGreaterThan(10);
        int ran = 0;
        for (Block b : blocks) {
            if (b.has("skip")) {
                continue;
            }
            if (b.has("stop-background")) {
                stopAll();
            }
            if (b.has("replaces-up")) {
                for (Server s : new ArrayList<>(servers)) {
                    if (s.command().startsWith("./hearth up")) {
                        stop(s);
                        servers.remove(s);
                    }
                }
            }
            String ready = b.all("ready").isEmpty() ? null : b.all("ready").get(0);
            if (b.has("background")) {
                start(b, b.code().strip(), ready);
            } else if (b.has("background-each")) {
                for (String line : b.code().strip().split("\n")) {
                    start(b, line.strip(), ready);
                }
            } else {
                run(b);
            }
            ran++;
        }
        System.out.println("ReadmeIT: ran " + ran + " blocks of README.md");
    }

    private void run(Block b) throws Exception {
        Path out = logs.resolve("block-" + b.line() + ".log");
        Process p = new ProcessBuilder("bash", "-e", "-c", b.code()).directory(ROOT.toFile())
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("README.md line %d did not finish in %s:%n%s%n--- output ---%n%s", b.line(), STEP, b.code(), read(out));
        }
        String output = read(out);
        int expected = b.all("exit").isEmpty() ? 0 : Integer.parseInt(b.all("exit").get(0));
        assertThat(p.exitValue()).as("exit status of the block at README.md line %d:%n%s%n--- output ---%n%s", b.line(),
            b.code(), output).isEqualTo(expected);
        for (String text : b.all("expect")) {
            assertThat(output).as("output of the block at README.md line %d:%n%s", b.line(), b.code()).contains(text);
        }
    }

    private void start(Block b, String command, String ready) throws Exception {
        Path out = logs.resolve("server-" + servers.size() + ".log");
        Process p = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        Server s = new Server(command, p, out);
        servers.add(s);
        if (ready == null) {
            return;
        }
        Pattern r = Pattern.compile(ready);
        long deadline = System.nanoTime() + STEP.toNanos();
        while (!r.matcher(read(out)).find()) {
            if (!p.isAlive()) {
                fail("README.md line %d: '%s' exited (%d) before it was ready:%n%s", b.line(), command, p.exitValue(),
                    read(out));
            }
            if (System.nanoTime() > deadline) {
                fail("README.md line %d: '%s' not ready in %s:%n%s", b.line(), command, STEP, read(out));
            }
            Thread.sleep(200); // polling a process's output for a line; the deadline bounds it
        }
    }

    /** Stops a server as Ctrl-C would (SIGTERM runs the same shutdown hooks), then forcibly if it hangs. */
    private static void stop(Server s) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(s.process().descendants().toList());
        tree.add(s.process().toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
    }

    private void stopAll() throws InterruptedException {
        for (int i = servers.size() - 1; i >= 0; i--) {
            stop(servers.get(i));
        }
        servers.clear();
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
