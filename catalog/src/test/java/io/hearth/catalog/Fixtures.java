package io.hearth.catalog;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** Shared inputs and helpers for the catalog tests. */
final class Fixtures {
    /** The shipped example; tests run with the module directory as working directory. */
    static final Path EXAMPLE = Path.of("../config/demo/definitions.yaml");

    private Fixtures() {
    }

    static String exampleText() {
        try {
            return Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Definitions example() {
        return DefinitionsParser.parse("definitions.yaml", exampleText());
    }

    /** The problems parsing {@code text} as {@code file} reports; fails when it parses cleanly. */
    static List<DefinitionProblem> problems(String file, String text) {
        DefinitionException e = catchThrowableOfType(DefinitionException.class,
            () -> DefinitionsParser.parse(file, text));
        assertThat(e).as("expected %s to be rejected", file).isNotNull();
        return e.problems();
    }

    static List<DefinitionProblem> problems(List<DefinitionsParser.Input> inputs) {
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> DefinitionsParser.parse(inputs));
        assertThat(e).as("expected the inputs to be rejected").isNotNull();
        return e.problems();
    }

    /** The single problem of a document with exactly one fault. */
    static DefinitionProblem onlyProblem(String file, String text) {
        List<DefinitionProblem> ps = problems(file, text);
        assertThat(ps).as("problems of\n%s", text).hasSize(1);
        return ps.get(0);
    }

    /** 1-based number of the one line of {@code text} that contains {@code marker}. */
    static int lineOf(String text, String marker) {
        String[] lines = text.split("\n", -1);
        int[] hits = IntStream.range(0, lines.length).filter(i -> lines[i].contains(marker)).toArray();
        assertThat(hits).as("lines containing '%s'", marker).hasSize(1);
        return hits[0] + 1;
    }

    /** {@code text} with the one occurrence of {@code from} replaced; fails when it occurs zero or several times. */
    static String replaceOnce(String text, String from, String to) {
        int i = text.indexOf(from);
        assertThat(i).as("'%s' occurs in the text", from).isGreaterThanOrEqualTo(0);
        assertThat(text.indexOf(from, i + 1)).as("'%s' occurs only once", from).isEqualTo(-1);
        return text.substring(0, i) + to + text.substring(i + from.length());
    }

    /** The seed of a randomized test ({@link Seeds}: printed; {@code -Dhearth.seed=N} replays a run). */
    static long seed(String test) {
        return Seeds.seed(test);
    }

    static void assertProblem(DefinitionProblem p, String rule, String path, String file, int line) {
        assertThat(p).as("problem %s", p)
            .extracting(DefinitionProblem::rule, DefinitionProblem::path, DefinitionProblem::file, DefinitionProblem::line)
            .containsExactly(rule, path, file, line);
    }
}
