package io.hearth.catalog;

/**
 * One thing wrong with a definitions file: where ({@code file}, 1-based {@code line}, the key {@code path}
 * such as {@code sources[0].schema.amount}), which {@code rule} it breaks and a sentence for people.
 */
public record DefinitionProblem(String file, int line, String path, String rule, String message) {

    @Override
    public String toString() {
        return (file == null ? "" : file) + (line > 0 ? ":" + line : "") + ": " + path + ": " + message + " [" + rule + "]";
    }
}
