package io.hearth.compute.events;

/**
 * The 64-bit hash of an event id that storage keeps to drop replayed events ({@link EntityIndex#containsId}). Stored
 * hashes are compared with hashes of new ids for good, so this function must never change.
 */
final class EventIdHash {
    private EventIdHash() {
    }

    /** FNV-1a over the UTF-16 units, then a 64-bit finalizer; never 0 (0 means "no id"). */
    static long of(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
