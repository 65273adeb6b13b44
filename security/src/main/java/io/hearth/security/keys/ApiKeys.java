package io.hearth.security.keys;

import java.util.Optional;

/** Where a gateway finds the key a request presents: a fixed ring in tests, the key file (reloaded) in processes. */
public interface ApiKeys {
    /** The key whose secret this is, if any. Takes the same time whichever key (or none) it is. */
    Optional<ApiKey> find(String secret);
}
