package io.hearth.security.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.security.testing.TestKeys;
import org.junit.jupiter.api.Test;

class KeyFileTest {
    @Test
    void aKeyFileGivesEachKeyItsRolesScopeAndLimits() {
        KeyRing ring = KeyFile.parse("keys.yaml", TestKeys.file(TestKeys.key("limited", "hs_limited", "[reader]",
            "    rate: 600/min\n    burst: 3\n    max_concurrent: 2\n")));
        assertThat(ring.size()).isEqualTo(5);
        ApiKey profiles = ring.find(TestKeys.WRITER_OF_PROFILES).orElseThrow();
        assertThat(profiles.id()).isEqualTo("profiles-ingest");
        assertThat(profiles.role()).isEqualTo(Role.WRITER);
        assertThat(profiles.covers("profiles")).isTrue();
        assertThat(profiles.covers("orders")).isFalse();
        assertThat(ring.find(TestKeys.WRITER).orElseThrow().covers("orders")).isTrue();
        ApiKey limited = ring.find("hs_limited").orElseThrow();
        assertThat(limited.rate()).contains(new Rate(10, 3));
        assertThat(limited.maxConcurrent()).isEqualTo(2);
        assertThat(ring.find(TestKeys.ADMIN).orElseThrow().maxConcurrent()).isEqualTo(ApiKey.DEFAULT_MAX_CONCURRENT);
        assertThat(ring.find("hs_nobody")).isEmpty();
    }

    @Test
    void theHashInTheFileIsWhatSha256sumPrintsForTheSecret() {
        // printf %s 'hs_example' | sha256sum
        assertThat(Secrets.sha256Hex("hs_example"))
            .isEqualTo("f27bbd09c77bc3c07fe53904c6dbfef250e2d7c69fc5d8cecac4206a2172f39f");
        String upper = "keys:\n  - id: a\n    secret_sha256: " + Secrets.sha256Hex("hs_a").toUpperCase() + "\n    roles: [admin]\n";
        assertThat(KeyFile.parse("k.yaml", upper).find("hs_a")).isPresent();
    }

    @Test
    void defaultsApplyToKeysThatDoNotSay() {
        KeyRing ring = KeyFile.parse("k.yaml", "defaults: {rate: 5/s, max_concurrent: 4}\n" + TestKeys.file());
        ApiKey k = ring.find(TestKeys.READER).orElseThrow();
        assertThat(k.rate()).contains(new Rate(5, 5));
        assertThat(k.maxConcurrent()).isEqualTo(4);
    }

    @Test
    void everyProblemIsReportedWithItsLineKeyAndRule() {
        String text = """
            keys:
              - id: trainer
                secret_sha256: hs_the-secret-itself
                roles: [readr]
              - id: trainer
                secret_sha256: 0000000000000000000000000000000000000000000000000000000000000000
                roles: [admin]
                scope: [orders]
              - secret_sha256: 1111111111111111111111111111111111111111111111111111111111111111
                roles: []
                rate: fast
            """;
        assertThatThrownBy(() -> KeyFile.parse("keys.yaml", text))
            .isInstanceOfSatisfying(HearthException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION);
                assertThat(e.field()).isEqualTo("keys[0].secret_sha256");
                assertThat(e.rule()).isEqualTo("secret.sha256");
            })
            .hasMessageContaining("keys.yaml:3: keys[0].secret_sha256: secret_sha256 is the SHA-256 of the secret")
            .hasMessageContaining("keys.yaml:4: keys[0].roles: unknown role 'readr'; did you mean 'reader'?")
            .hasMessageContaining("keys.yaml:8: keys[1].scope: unknown key 'scope'")
            .hasMessageContaining("keys[2].id: a key needs an id (shown in logs and the audit trail) [required]")
            .hasMessageContaining("keys[2].roles: a key needs at least one role [roles.empty]")
            .hasMessageContaining("keys.yaml:11: keys[2].rate: rate 'fast' is not a positive count per time");
    }

    @Test
    void twoKeysWithOneIdOrOneSecretAreRefused() {
        String h = Secrets.sha256Hex("hs_same");
        assertThatThrownBy(() -> KeyFile.parse("k.yaml", "keys:\n  - {id: a, secret_sha256: " + h + ", roles: [reader]}\n"
            + "  - {id: a, secret_sha256: " + Secrets.sha256Hex("hs_other") + ", roles: [reader]}\n"))
            .hasMessageContaining("id 'a' is also the id of keys[0] [id.duplicate]");
        assertThatThrownBy(() -> KeyFile.parse("k.yaml", "keys:\n  - {id: a, secret_sha256: " + h + ", roles: [reader]}\n"
            + "  - {id: b, secret_sha256: " + h + ", roles: [admin]}\n"))
            .hasMessageContaining("key 'b' has the same secret as key 'a'");
    }

    @Test
    void aFileThatIsNotYamlOrHasNoKeysIsRefusedNamingWhy() {
        assertThatThrownBy(() -> KeyFile.parse("k.yaml", "keys: [\n")).hasMessageContaining("[yaml.syntax]");
        assertThatThrownBy(() -> KeyFile.parse("k.yaml", "kyes: []\n")).hasMessageContaining("unknown key 'kyes'; did you mean 'keys'?")
            .hasMessageContaining("the key file has no 'keys' list");
        assertThatThrownBy(() -> KeyFile.parse("k.yaml", "")).hasMessageContaining("a key file is a mapping");
    }

    @Test
    void newSecretsAreDistinctBearerTokens() {
        String a = Secrets.newSecret();
        String b = Secrets.newSecret();
        assertThat(a).isNotEqualTo(b).startsWith("hs_").hasSize(46).matches("[A-Za-z0-9_-]+");
    }
}
