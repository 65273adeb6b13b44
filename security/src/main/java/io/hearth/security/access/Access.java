package io.hearth.security.access;

import io.hearth.security.keys.Role;
import java.util.Optional;

/** Who may call a route: anyone, or a key with at least a role. */
public enum Access {
    /** No key needed: liveness checks and the API document. */
    OPEN(null),
    READER(Role.READER),
    WRITER(Role.WRITER),
    ADMIN(Role.ADMIN);

    private final Role role;

    Access(Role role) {
        this.role = role;
    }

    /** The role a key needs; empty for an open route. */
    public Optional<Role> role() {
        return Optional.ofNullable(role);
    }
}
