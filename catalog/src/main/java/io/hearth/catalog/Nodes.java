package io.hearth.catalog;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reading values out of a YAML node tree while collecting problems: every helper reports what is wrong with the
 * file, line and key path, and returns null (or a marker) instead of throwing, so that one pass finds every problem.
 * Paths join with dots ({@code sources[0].schema.amount}); the empty path is a document's root (reported as
 * {@code $}), which lets a document that is one object (a model sent over HTTP) name its fields plainly.
 */
final class Nodes {

    /** Where a piece of a document came from. */
    record Loc(String file, int line, String path) {
    }

    final List<DefinitionProblem> problems = new ArrayList<>();
    String file;

    /** {@code path.key}, or {@code key} at the root. */
    static String at(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String shown(String path) {
        return path.isEmpty() ? "$" : path;
    }

    Loc loc(Node n, String path) {
        return new Loc(file, n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1, shown(path));
    }

    Map<String, Loc> locs(Map<String, Node> m, String path) {
        Map<String, Loc> locs = new HashMap<>();
        m.forEach((k, v) -> locs.put(k, loc(v, at(path, k))));
        return locs;
    }

    void problem(Node n, String path, String rule, String message) {
        problems.add(new DefinitionProblem(file, n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1,
            shown(path), rule, message));
    }

    /** Reports at a located node; {@code suffix} (may be null) names a member below it, e.g. ".column". */
    void report(Loc at, String suffix, String rule, String message) {
        problems.add(new DefinitionProblem(at.file(), at.line(), suffix == null ? at.path() : at.path() + suffix, rule,
            message));
    }

    /** A mapping's entries in order; unknown keys (when {@code allowed} is given) and duplicates reported. */
    Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mn)) {
            problem(node, path, "type.mapping", "expected a mapping of keys to values");
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), path, "key.scalar", "keys must be plain names");
                continue;
            }
            String key = k.getValue();
            if (allowed != null && !allowed.contains(key)) {
                problem(k, at(path, key), "key.unknown", "unknown key '" + key + "' (allowed: "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                continue;
            }
            if (out.containsKey(key)) {
                problem(k, at(path, key), "key.duplicate", "key '" + key + "' appears twice");
                continue;
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    String scalar(Node node, String path) {
        if (!(node instanceof ScalarNode s)) {
            problem(node, path, "type.scalar", "expected a single value");
            return null;
        }
        return s.getValue();
    }

    String name(Node parent, Map<String, Node> m, String path, String what) {
        Node n = m.get("name");
        if (n == null) {
            problem(parent, at(path, "name"), "required", what + " needs a name");
            return null;
        }
        String s = scalar(n, at(path, "name"));
        if (s != null && !DefinitionsParser.NAME.matcher(s).matches()) {
            problem(n, at(path, "name"), "name.pattern", what + " name '" + s + "' must match "
                + DefinitionsParser.NAME.pattern());
            return null;
        }
        return s;
    }

    void checkNames(List<String> names, Node node, String path, String what) {
        for (String s : names) {
            if (!DefinitionsParser.NAME.matcher(s).matches()) {
                problem(node, path, "name.pattern", what + " '" + s + "' must match " + DefinitionsParser.NAME.pattern());
            }
        }
    }

    String reqString(Map<String, Node> m, String key, String path, Node parent) {
        Node n = m.get(key);
        if (n == null) {
            problem(parent, at(path, key), "required", key + " is required");
            return null;
        }
        return scalar(n, at(path, key));
    }

    String optString(Map<String, Node> m, String key, String path) {
        Node n = m.get(key);
        return n == null ? null : scalar(n, at(path, key));
    }

    List<String> stringList(Node node, String path) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof SequenceNode seq)) {
            problem(node, path, "type.list", "expected a list");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node n : seq.getValue()) {
            String s = scalar(n, path);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    Double number(Node node, String path) {
        String s = scalar(node, path);
        if (s == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            problem(node, path, "type.number", "expected a number, got '" + s + "'");
            return null;
        }
    }

    Boolean bool(Node node, String path) {
        String s = scalar(node, path);
        if (s == null) {
            return null;
        }
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(node, path, "type.bool", "expected true or false, got '" + s + "'");
                yield null;
            }
        };
    }

    /** Milliseconds, 0 when absent, -1 after reporting a bad duration. */
    long duration(Node node, String path) {
        if (node == null) {
            return 0;
        }
        String s = scalar(node, path);
        if (s == null) {
            return -1;
        }
        long ms = Durations.parseMillis(s);
        if (ms < 0) {
            problem(node, path, "duration.syntax", "'" + s + "' is not a duration (write e.g. 90s, 15m, 1h, 7d)");
        }
        return ms;
    }

    /** A calendar date written {@code YYYY-MM-DD}; null after reporting anything else. */
    LocalDate date(Node node, String path) {
        String s = scalar(node, path);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s.trim());
        } catch (DateTimeParseException e) {
            problem(node, path, "date.syntax", "'" + s + "' is not a date (write e.g. 2026-01-31)");
            return null;
        }
    }
}
