package io.hearth.catalog;

/**
 * One tag of a catalog object: a word ({@code pii}, {@code value} null) or a {@code key: value} pair
 * ({@code domain: commerce}). Within one object a key (a word is its own key) appears once.
 */
public record Tag(String key, String value) {

    public Tag {
        if (key == null) {
            throw new IllegalArgumentException("a tag needs a key");
        }
    }

    public static Tag word(String word) {
        return new Tag(word, null);
    }

    public boolean isWord() {
        return value == null;
    }

    /** {@code pii} or {@code domain: commerce}, as people write it. */
    @Override
    public String toString() {
        return value == null ? key : key + ": " + value;
    }
}
