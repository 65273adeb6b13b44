package io.hearth.security.keys;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fixed set of keys. Finding a secret hashes it once and compares the hash with every key's, all of them, in
 * constant time each: how long it takes says nothing about which key (or how much of one) matched. Ids and hashes
 * are unique.
 */
public final class KeyRing implements ApiKeys {
    private final ApiKey[] keys;

    public KeyRing(List<ApiKey> keys) {
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (ApiKey k : keys) {
            if (!ids.add(k.id())) {
                throw new IllegalArgumentException("two keys with id '" + k.id() + "'");
            }
            if (!hashes.add(k.secretSha256Hex())) {
                throw new IllegalArgumentException("key '" + k.id() + "' has the secret of another key");
            }
        }
        this.keys = keys.toArray(new ApiKey[0]);
    }

    public static KeyRing of(ApiKey... keys) {
        return new KeyRing(List.of(keys));
    }

    @Override
    public Optional<ApiKey> find(String secret) {
        byte[] h = Secrets.sha256(secret);
        ApiKey found = null;
        for (ApiKey k : keys) {
            if (k.matches(h) & found == null) { // '&': no early exit, every key is compared
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return keys.length;
    }
}
