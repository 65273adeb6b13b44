package io.hearth.security.testing;

import io.hearth.security.keys.Secrets;

/**
 * Keys of every kind a test of access needs, with their secrets: the key file's text to serve, and the secret each
 * client sends. The secrets are fixed strings (a test's keys need not be secret), so a failure can be replayed.
 */
public final class TestKeys {
    public static final String READER = "hs_reader-secret-for-tests-only-0000000000000";
    public static final String WRITER = "hs_writer-secret-for-tests-only-0000000000000";
    public static final String WRITER_OF_PROFILES = "hs_profiles-writer-secret-for-tests-only-00000";
    public static final String ADMIN = "hs_admin-secret-for-tests-only-00000000000000";

    private TestKeys() {
    }

    /** A key file with a reader, an unscoped writer, a writer of profiles only and an admin. */
    public static String file() {
        return file("");
    }

    /** The same key file, with {@code extra} lines appended under {@code keys:}. */
    public static String file(String extra) {
        return "keys:\n"
            + key("trainer", READER, "[reader]", "")
            + key("ingest-all", WRITER, "[writer]", "")
            + key("profiles-ingest", WRITER_OF_PROFILES, "[writer]", "    sources: [profiles]\n")
            + key("ops", ADMIN, "[admin]", "")
            + extra;
    }

    public static String key(String id, String secret, String roles, String more) {
        return "  - id: " + id + "\n    secret_sha256: " + Secrets.sha256Hex(secret) + "\n    roles: " + roles + "\n" + more;
    }
}
