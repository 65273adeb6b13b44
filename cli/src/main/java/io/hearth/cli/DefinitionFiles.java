package io.hearth.cli;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads definitions from a file or from every .yaml/.yml file of a directory (merged, in name order). */
final class DefinitionFiles {
    private DefinitionFiles() {
    }

    static Definitions read(Path path) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new IOException("no .yaml or .yml files in " + path);
            }
        } else if (Files.isRegularFile(path)) {
            files.add(path);
        } else {
            throw new IOException("no such file or directory: " + path);
        }
        List<DefinitionsParser.Input> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(new DefinitionsParser.Input(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
        }
        return DefinitionsParser.parse(inputs);
    }
}
