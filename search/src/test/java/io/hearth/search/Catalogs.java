package io.hearth.search;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.lineage.Runs;
import io.hearth.testing.SyntheticCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Catalogs for the search tests: the demo's definitions, alone or with a generated registry beside them. */
final class Catalogs {
    static final String DEMO_YAML = read();

    /** Names in both styles, and a description with markup, beside the demo. */
    static final String EXTRA_YAML = """
        feature_views:
          - name: checkout_stats
            entity: customer
            source: orders
            features:
              - name: avgOrderValue
                aggregation: avg
                column: amount
                window: 7d
                description: Mean <b>basket</b> & order value over a week.
              - name: orderCount7d
                aggregation: count
                window: 7d
            owner: checkout-team
            tags: [experimental]
        """;

    private Catalogs() {
    }

    static Definitions demo() {
        return DefinitionsParser.parse("demo.yaml", DEMO_YAML);
    }

    /** The demo, the extra view, and a generated registry of {@code features} features. */
    static Definitions realistic(long seed, int features) {
        return DefinitionsParser.parse(List.of(new DefinitionsParser.Input("demo.yaml", DEMO_YAML),
            new DefinitionsParser.Input("extra.yaml", EXTRA_YAML),
            new DefinitionsParser.Input("synthetic.yaml", SyntheticCatalog.yaml(seed, features))));
    }

    static Definitions demoAndExtra() {
        return DefinitionsParser.parse(List.of(new DefinitionsParser.Input("demo.yaml", DEMO_YAML),
            new DefinitionsParser.Input("extra.yaml", EXTRA_YAML)));
    }

    static CatalogIndex index(Definitions d) {
        return CatalogIndex.build(Catalog.of(d, Runs.NONE));
    }

    private static String read() {
        try {
            return Files.readString(Path.of("../config/demo/definitions.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
