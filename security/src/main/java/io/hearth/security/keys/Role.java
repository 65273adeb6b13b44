package io.hearth.security.keys;

import java.util.Locale;
import java.util.Optional;

/**
 * What a key may do. Each role includes the ones before it: a writer may read, an admin may do everything. The
 * names are those of the key file ({@code roles: [reader]}) and of problem bodies ({@code "role": "admin"}).
 */
public enum Role {
    /** Lookups, the registry, the catalog and sources read, training sets built and downloaded, metrics. */
    READER,
    /** What a reader may, and ingest into the key's sources. */
    WRITER,
    /** Everything: apply definitions, reset breakers and lost partitions, compaction, the audit trail. */
    ADMIN;

    /** The name in the key file and in answers: {@code reader}, {@code writer}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a key with this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** The role of a label, if it is one. */
    public static Optional<Role> of(String label) {
        for (Role r : values()) {
            if (r.label().equals(label)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
