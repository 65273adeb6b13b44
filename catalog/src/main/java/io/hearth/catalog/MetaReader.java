package io.hearth.catalog;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the metadata keys every object of the definitions may carry ({@code description}, {@code owner},
 * {@code tags}, {@code deprecated}) out of the object's mapping. Tags are a list of words and {@code key: value}
 * pairs ({@code [pii, {domain: commerce}]}) or, as feature views always allowed, a mapping
 * ({@code {domain: commerce}}). Whether a replacement names a real object is checked later, with every object known.
 */
final class MetaReader {
    /** The keys this reader owns; each object's own keys are added to them. */
    static final Set<String> KEYS = Set.of("description", "owner", "tags", "deprecated");
    private static final Set<String> DEPRECATED_KEYS = Set.of("since", "reason", "replacement", "sunset");

    /** Metadata as read, and where its deprecation's replacement was written (null when there is none). */
    record Read(Meta meta, Nodes.Loc replacementAt) {
    }

    private final Nodes nodes;

    MetaReader(Nodes nodes) {
        this.nodes = nodes;
    }

    /** The set of keys an object with {@code own} keys allows. */
    static Set<String> with(String... own) {
        Set<String> s = new HashSet<>(KEYS);
        s.addAll(List.of(own));
        return Set.copyOf(s);
    }

    Read read(Map<String, Node> m, String path) {
        String description = nodes.optString(m, "description", path);
        String owner = nodes.optString(m, "owner", path);
        List<Tag> tags = m.containsKey("tags") ? tags(m.get("tags"), Nodes.at(path, "tags")) : List.of();
        Deprecation deprecated = null;
        Nodes.Loc replacementAt = null;
        if (m.containsKey("deprecated")) {
            String dpath = Nodes.at(path, "deprecated");
            Map<String, Node> d = nodes.mapping(m.get("deprecated"), dpath, DEPRECATED_KEYS);
            if (d != null) {
                deprecated = deprecation(m.get("deprecated"), d, dpath);
                if (d.containsKey("replacement")) {
                    replacementAt = nodes.loc(d.get("replacement"), Nodes.at(dpath, "replacement"));
                }
            }
        }
        Meta meta = description == null && owner == null && tags.isEmpty() && deprecated == null ? Meta.NONE
            : new Meta(description, owner, tags, deprecated);
        return new Read(meta, deprecated == null || deprecated.replacement() == null ? null : replacementAt);
    }

    private Deprecation deprecation(Node node, Map<String, Node> d, String path) {
        LocalDate since = null;
        if (d.containsKey("since")) {
            since = nodes.date(d.get("since"), Nodes.at(path, "since"));
        } else {
            nodes.problem(node, Nodes.at(path, "since"), "required", "a deprecation needs the date it took effect (since)");
        }
        String reason = nodes.reqString(d, "reason", path, node);
        if (reason != null && reason.isBlank()) {
            nodes.problem(d.get("reason"), Nodes.at(path, "reason"), "required", "a deprecation needs a reason");
            reason = null;
        }
        String replacement = nodes.optString(d, "replacement", path);
        LocalDate sunset = d.containsKey("sunset") ? nodes.date(d.get("sunset"), Nodes.at(path, "sunset")) : null;
        if (since != null && sunset != null && sunset.isBefore(since)) {
            nodes.problem(d.get("sunset"), Nodes.at(path, "sunset"), "deprecated.sunset_before_since",
                "sunset " + sunset + " is before the deprecation's date " + since);
        }
        return since == null || reason == null ? null : new Deprecation(since, reason, replacement, sunset);
    }

    private List<Tag> tags(Node node, String path) {
        List<Tag> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        if (node instanceof MappingNode) {
            Map<String, Node> pairs = nodes.mapping(node, path, null);
            pairs.forEach((k, v) -> pair(k, v, Nodes.at(path, k), out, keys));
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String ipath = path + "[" + i + "]";
                if (item instanceof ScalarNode s) {
                    add(Tag.word(s.getValue()), item, ipath, out, keys);
                } else if (item instanceof MappingNode) {
                    Map<String, Node> pairs = nodes.mapping(item, ipath, null);
                    pairs.forEach((k, v) -> pair(k, v, Nodes.at(ipath, k), out, keys));
                } else {
                    nodes.problem(item, ipath, "type.scalar", "a tag is a word or a key: value pair");
                }
            }
        } else {
            nodes.problem(node, path, "type.list", "expected a list of words or key: value pairs (or a mapping of keys "
                + "to values)");
        }
        return out;
    }

    private void pair(String key, Node value, String path, List<Tag> out, Set<String> keys) {
        String v = nodes.scalar(value, path);
        if (v != null) {
            add(new Tag(key, v), value, path, out, keys);
        }
    }

    private void add(Tag t, Node at, String path, List<Tag> out, Set<String> keys) {
        if (t.key().isBlank()) {
            nodes.problem(at, path, "tag.empty", t.isWord() ? "a tag cannot be empty" : "a tag's key cannot be empty");
        } else if (!keys.add(t.key())) {
            nodes.problem(at, path, "tag.duplicate", "tag '" + t.key() + "' is given twice");
        } else {
            out.add(t);
        }
    }
}
