package io.hearth.compute.time;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
    /** 2026-01-31T12:00:00Z, worked out by hand (20484 days after the epoch, plus 12 hours). */
    private static final long NOON = 1_769_860_800_000L;

    @Test
    void isoWithZuluIsUtc() {
        assertThat(NOON).isEqualTo((20_484L * 86_400 + 12 * 3_600) * 1_000);
        assertThat(Timestamps.parse("2026-01-31T12:00:00Z")).isEqualTo(NOON);
        assertThat(Timestamps.parse("2026-01-31T12:00:00.250Z")).isEqualTo(NOON + 250);
        assertThat(Timestamps.parse("1970-01-01T00:00:00Z")).isZero();
    }

    @Test
    void isoWithOffsetIsConvertedToUtc() {
        assertThat(Timestamps.parse("2026-01-31T14:00:00+02:00")).isEqualTo(NOON);
        assertThat(Timestamps.parse("2026-01-31T06:30:00-05:30")).isEqualTo(NOON);
        assertThat(Timestamps.parse("2026-01-31T12:00:00+00:00")).isEqualTo(NOON);
    }

    @Test
    void isoWithoutOffsetIsReadAsUtc() {
        assertThat(Timestamps.parse("2026-01-31T12:00:00")).isEqualTo(NOON);
        assertThat(Timestamps.parse("2026-01-31T12:00")).isEqualTo(NOON);
        assertThat(Timestamps.parse("2026-01-31T12:00:00.001")).isEqualTo(NOON + 1);
    }

    @Test
    void spaceMayStandForTheT() {
        assertThat(Timestamps.parse("2026-01-31 12:00:00")).isEqualTo(NOON);
        assertThat(Timestamps.parse("2026-01-31 12:00:00Z")).isEqualTo(NOON);
        assertThat(Timestamps.parse("2026-01-31 13:00:00+01:00")).isEqualTo(NOON);
    }

    @Test
    void dateOnlyIsMidnightUtc() {
        assertThat(Timestamps.parse("2026-01-31")).isEqualTo(NOON - 12 * 3_600_000L);
        assertThat(Timestamps.parse("1970-01-02")).isEqualTo(86_400_000L);
    }

    @Test
    void digitsAreEpochMilliseconds() {
        assertThat(Timestamps.parse("1769860800000")).isEqualTo(NOON);
        assertThat(Timestamps.parse("  1769860800000 ")).isEqualTo(NOON);
        assertThat(Timestamps.parse("0")).isZero();
        assertThat(Timestamps.parse(" 2026-01-31T12:00:00Z\t")).isEqualTo(NOON);
    }

    @Test
    void formatIsIsoUtcWithMilliseconds() {
        assertThat(Timestamps.format(NOON)).isEqualTo("2026-01-31T12:00:00.000Z");
        assertThat(Timestamps.format(NOON + 7)).isEqualTo("2026-01-31T12:00:00.007Z");
        assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Timestamps.format(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
    }

    @Test
    void formatThenParseRoundTrips() {
        Random rnd = new Random(Seeds.seed("TimestampsTest.roundTrip"));
        for (int i = 0; i < 10_000; i++) {
            long t = (long) (rnd.nextDouble() * 4_102_444_800_000L); // 1970 .. 2100
            assertThat(Timestamps.parse(Timestamps.format(t))).as("t=" + t).isEqualTo(t);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-13-01", "2026-01-31T25:00:00Z", "31/01/2026", "", "2026-01-31X12:00",
        "1.5", "-", "1e400", "NaN", "Infinity",
        "10000-01-01T00:00:00Z"})
    void badTextIsRejectedWithAMessageNamingIt(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + text + "'")
            .hasMessageContaining("ISO-8601");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-1000", "1969-12-31T23:59:59.999Z", "253402300800000",
        "+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "12345678901234567890", "-9223372036854775808",
        "99999999999999999999999999", "1969-12-31"})
    void timesOutsideTheAcceptedRangeAreRejectedNamingTheRange(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + text + "'")
            .hasMessageContaining(Timestamps.RANGE_TEXT);
    }

    @Test
    void theEdgesOfTheRangeAreAccepted() {
        assertThat(Timestamps.parse("0")).isEqualTo(Timestamps.MIN);
        assertThat(Timestamps.parse("9999-12-31T23:59:59.999Z")).isEqualTo(Timestamps.MAX);
        assertThat(Timestamps.parse(Long.toString(Timestamps.MAX))).isEqualTo(Timestamps.MAX);
        assertThat(Timestamps.format(Timestamps.MAX)).isEqualTo("9999-12-31T23:59:59.999Z");
    }

    /** The arithmetic formatter against java.time's, over random instants of every era it covers and its edges. */
    @org.junit.jupiter.api.Test
    void fastFormatEqualsTheDateTimeFormatter() {
        java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);
        long seed = Seeds.seed("TimestampsTest.fastFormat");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        long[] edges = {0, -1, 1, -62_167_219_200_000L, -62_167_219_200_001L, 253_402_300_799_999L, 253_402_300_800_000L,
            951_782_400_000L /* 2000-02-29 */, 4_107_542_400_000L /* 2100-03-01 */, -2_208_988_800_001L};
        for (long t : edges) {
            org.assertj.core.api.Assertions.assertThat(Timestamps.format(t)).as("t=%d", t)
                .isEqualTo(iso.format(java.time.Instant.ofEpochMilli(t)));
        }
        for (int i = 0; i < 200_000; i++) {
            long t = rnd.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
            org.assertj.core.api.Assertions.assertThat(Timestamps.format(t)).as("seed %d, t=%d", seed, t)
                .isEqualTo(iso.format(java.time.Instant.ofEpochMilli(t)));
        }
    }
}
