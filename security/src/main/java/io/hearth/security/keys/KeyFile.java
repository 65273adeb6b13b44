package io.hearth.security.keys;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.Suggest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the key file of {@code --auth-file}: YAML, a {@code keys} list and optional {@code defaults}.
 *
 * <pre>
 * defaults: {rate: 200/s, max_concurrent: 32}   # optional, for keys that do not say
 * keys:
 *   - id: trainer                 # shown in logs and the audit trail, never the secret
 *     secret_sha256: 3f2a...      # printf %s SECRET | sha256sum
 *     roles: [reader]
 *   - id: orders-ingest
 *     secret_sha256: 9b1c...
 *     roles: [writer]
 *     sources: [orders]           # optional: the sources it may ingest into; absent = every source
 *     rate: 500/s                 # optional: requests per second (or /min, /h); more answer 429
 *     burst: 100                  # optional: requests at once after a quiet spell (default: one second's worth)
 *     max_concurrent: 8           # optional: requests in flight (default 64); more answer 429
 * </pre>
 *
 * Every problem is reported at once, each with its line, the key's path and the rule it breaks; an unknown key is
 * named with the closest real ones. A file with a problem is refused whole: half a key file is never used.
 */
public final class KeyFile {
    private static final Set<String> ROOT = Set.of("keys", "defaults");
    private static final Set<String> KEY = Set.of("id", "secret_sha256", "roles", "sources", "rate", "burst", "max_concurrent");
    private static final Set<String> DEFAULTS = Set.of("rate", "burst", "max_concurrent");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*(s|sec|second|m|min|minute|h|hour)");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final String file;
    private final List<String> problems = new ArrayList<>();
    private String firstField;
    private String firstRule;

    private KeyFile(String file) {
        this.file = file;
    }

    /** Reads and checks a key file. */
    public static KeyRing read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HearthException(ErrorCode.CONFIGURATION, "auth-file", "file.read", "cannot read the key file "
                + path + ": " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /** Parses and checks the text of a key file named {@code file} in messages. */
    public static KeyRing parse(String file, String text) {
        return new KeyFile(file).parse(text);
    }

    private KeyRing parse(String text) {
        Node root;
        try {
            LoaderOptions o = new LoaderOptions();
            o.setAllowDuplicateKeys(false);
            o.setMaxAliasesForCollections(10);
            root = new Yaml(o).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            problem(e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1, "(file)", "yaml.syntax",
                String.valueOf(e.getProblem()));
            throw failure();
        } catch (YAMLException e) {
            problem(0, "(file)", "yaml.syntax", e.getMessage());
            throw failure();
        }
        if (!(root instanceof MappingNode top)) {
            problem(root == null ? 1 : line(root), "(file)", "type.mapping", "a key file is a mapping with a 'keys' list");
            throw failure();
        }
        Map<String, Node> fields = fields(top, ROOT, "");
        Defaults defaults = new Defaults(Optional.empty(), Optional.empty(), ApiKey.DEFAULT_MAX_CONCURRENT);
        if (fields.containsKey("defaults")) {
            defaults = defaults(fields.get("defaults"));
        }
        List<ApiKey> keys = new ArrayList<>();
        Node list = fields.get("keys");
        if (list == null) {
            problem(line(top), "keys", "required", "the key file has no 'keys' list");
        } else if (!(list instanceof SequenceNode seq)) {
            problem(line(list), "keys", "type.list", "'keys' is a list of keys");
        } else {
            Map<String, Integer> ids = new HashMap<>();
            Map<String, String> hashes = new HashMap<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node n = seq.getValue().get(i);
                String path = "keys[" + i + "]";
                ApiKey k = key(n, path, defaults);
                if (k == null) {
                    continue;
                }
                Integer before = ids.putIfAbsent(k.id(), i);
                if (before != null) {
                    problem(line(n), path + ".id", "id.duplicate", "id '" + k.id() + "' is also the id of keys[" + before + "]");
                }
                String other = hashes.putIfAbsent(k.secretSha256Hex(), k.id());
                if (other != null) {
                    problem(line(n), path + ".secret_sha256", "secret.duplicate", "key '" + k.id()
                        + "' has the same secret as key '" + other + "': give each client its own secret");
                }
                keys.add(k);
            }
        }
        if (!problems.isEmpty()) {
            throw failure();
        }
        return new KeyRing(keys);
    }

    private record Defaults(Optional<Double> rate, Optional<Integer> burst, int maxConcurrent) {
    }

    private Defaults defaults(Node n) {
        if (!(n instanceof MappingNode m)) {
            problem(line(n), "defaults", "type.mapping", "'defaults' is a mapping (rate, burst, max_concurrent)");
            return new Defaults(Optional.empty(), Optional.empty(), ApiKey.DEFAULT_MAX_CONCURRENT);
        }
        Map<String, Node> f = fields(m, DEFAULTS, "defaults.");
        return new Defaults(rate(f.get("rate"), "defaults.rate"), positiveInt(f.get("burst"), "defaults.burst"),
            positiveInt(f.get("max_concurrent"), "defaults.max_concurrent").orElse(ApiKey.DEFAULT_MAX_CONCURRENT));
    }

    /** One key, or null when it has a problem (recorded). */
    private ApiKey key(Node n, String path, Defaults defaults) {
        if (!(n instanceof MappingNode m)) {
            problem(line(n), path, "type.mapping", "a key is a mapping with id, secret_sha256 and roles");
            return null;
        }
        int before = problems.size();
        Map<String, Node> f = fields(m, KEY, path + ".");
        String id = scalar(f.get("id"), path + ".id");
        if (f.get("id") == null) {
            problem(line(m), path + ".id", "required", "a key needs an id (shown in logs and the audit trail)");
        } else if (id != null && !ID.matcher(id).matches()) {
            problem(line(f.get("id")), path + ".id", "id.pattern", "id '" + id + "' is not 1-64 letters, digits and . _ @ -");
        }
        String hash = scalar(f.get("secret_sha256"), path + ".secret_sha256");
        if (f.get("secret_sha256") == null) {
            problem(line(m), path + ".secret_sha256", "required", "a key needs secret_sha256 (./hearth keys new prints it)");
        } else if (hash != null && !HASH.matcher(hash).matches()) {
            problem(line(f.get("secret_sha256")), path + ".secret_sha256", "secret.sha256", "secret_sha256 is the SHA-256 of "
                + "the secret as 64 hex digits (printf %s SECRET | sha256sum), not the secret itself");
        }
        Set<Role> roles = new LinkedHashSet<>();
        Node rn = f.get("roles");
        if (rn == null) {
            problem(line(m), path + ".roles", "required", "a key needs roles: [reader], [writer] or [admin]");
        } else {
            List<String> names = strings(rn, path + ".roles");
            if (names != null && names.isEmpty()) {
                problem(line(rn), path + ".roles", "roles.empty", "a key needs at least one role");
            }
            for (String r : names == null ? List.<String>of() : names) {
                Optional<Role> role = Role.of(r);
                if (role.isEmpty()) {
                    problem(line(rn), path + ".roles", "role.unknown", "unknown role '" + r + "'"
                        + Suggest.hint(r, List.of("reader", "writer", "admin")) + " (roles: reader, writer, admin)");
                } else {
                    roles.add(role.get());
                }
            }
        }
        Optional<Set<String>> sources = Optional.empty();
        Node sn = f.get("sources");
        if (sn != null) {
            List<String> names = strings(sn, path + ".sources");
            if (names != null) {
                if (names.isEmpty()) {
                    problem(line(sn), path + ".sources", "sources.empty", "an empty sources list lets the key ingest "
                        + "nowhere; leave 'sources' out for every source");
                }
                for (String s : names) {
                    if (!SOURCE.matcher(s).matches()) {
                        problem(line(sn), path + ".sources", "name.pattern", "'" + s + "' is not a source name");
                    }
                }
                sources = Optional.of(new LinkedHashSet<>(names));
            }
        }
        Optional<Double> perSecond = f.containsKey("rate") ? rate(f.get("rate"), path + ".rate") : defaults.rate();
        Optional<Integer> burst = f.containsKey("burst") ? positiveInt(f.get("burst"), path + ".burst") : defaults.burst();
        int maxConcurrent = f.containsKey("max_concurrent")
            ? positiveInt(f.get("max_concurrent"), path + ".max_concurrent").orElse(ApiKey.DEFAULT_MAX_CONCURRENT)
            : defaults.maxConcurrent();
        if (burst.isPresent() && perSecond.isEmpty()) {
            problem(line(m), path + ".burst", "burst.without_rate", "burst only means something with a rate");
        }
        if (problems.size() > before) {
            return null;
        }
        Optional<Rate> rate = perSecond.map(r -> new Rate(r, burst.orElse((int) Math.max(1, Math.ceil(r)))));
        return new ApiKey(id, Secrets.parseHex(hash.toLowerCase(java.util.Locale.ROOT)), roles, sources, rate, maxConcurrent);
    }

    private Optional<Double> rate(Node n, String path) {
        if (n == null) {
            return Optional.empty();
        }
        String s = scalar(n, path);
        if (s == null) {
            return Optional.empty();
        }
        Matcher m = RATE.matcher(s.trim());
        double count = m.matches() ? Double.parseDouble(m.group(1)) : 0;
        if (!m.matches() || count <= 0 || Double.isInfinite(count)) {
            problem(line(n), path, "rate.syntax", "rate '" + s + "' is not a positive count per time, e.g. 100/s, 600/min, 1000/h");
            return Optional.empty();
        }
        double seconds = switch (m.group(2)) {
            case "s", "sec", "second" -> 1;
            case "m", "min", "minute" -> 60;
            default -> 3600;
        };
        return Optional.of(count / seconds);
    }

    private Optional<Integer> positiveInt(Node n, String path) {
        if (n == null) {
            return Optional.empty();
        }
        String s = scalar(n, path);
        try {
            int v = s == null ? 0 : Integer.parseInt(s.trim());
            if (v >= 1) {
                return Optional.of(v);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        if (s != null) {
            problem(line(n), path, "type.positive_int", "'" + s + "' is not a whole number of at least 1");
        }
        return Optional.empty();
    }

    private Map<String, Node> fields(MappingNode m, Set<String> allowed, String prefix) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            if (k == null) {
                problem(line(t.getKeyNode()), prefix + "(key)", "key.scalar", "keys of a mapping are names");
            } else if (!allowed.contains(k)) {
                problem(line(t.getKeyNode()), prefix + k, "key.unknown", "unknown key '" + k + "'" + Suggest.hint(k, allowed)
                    + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            } else {
                out.put(k, t.getValueNode());
            }
        }
        return out;
    }

    private String scalar(Node n, String path) {
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(line(n), path, "type.scalar", "expected a single value");
        return null;
    }

    private List<String> strings(Node n, String path) {
        if (!(n instanceof SequenceNode seq)) {
            problem(line(n), path, "type.list", "expected a list, e.g. [a, b]");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String s = scalar(item, path);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private void problem(int line, String path, String rule, String message) {
        if (problems.isEmpty()) {
            firstField = path;
            firstRule = rule;
        }
        problems.add(file + (line > 0 ? ":" + line : "") + ": " + path + ": " + message + " [" + rule + "]");
    }

    private HearthException failure() {
        return new HearthException(ErrorCode.CONFIGURATION, firstField, firstRule, "the key file " + file + " has "
            + (problems.size() == 1 ? "a problem" : problems.size() + " problems") + ": " + String.join("; ", problems));
    }
}
