package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    private static final long DAY = 86_400_000L;

    @ParameterizedTest
    @CsvSource({
        "250ms, 250",
        "1ms, 1",
        "90s, 90000",
        "15m, 900000",
        "1h, 3600000",
        "7d, 604800000",
        "30d, 2592000000",
        "365d, 31536000000",
        "007d, 604800000",
        "'  1h  ', 3600000",
        "1000ms, 1000",
    })
    void eachUnitParsesToMilliseconds(String text, long millis) {
        assertThat(Durations.parseMillis(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"0d", "0ms", "000s", "7 days", "-1h", "+1h", "", "   ", "7", "d", "7D", "1H", "1.5h", "1w",
        "1y", "1hh", "1h30m", "P7D", "１d", "7d ago", "0x10s", "1_000ms", "1e3ms"})
    void badInputIsNotADuration(String text) {
        assertThat(Durations.parseMillis(text)).as("'%s'", text).isEqualTo(-1);
    }

    @Test
    void largestDayCountThatFitsInALongParses() {
        long maxDays = Long.MAX_VALUE / DAY;
        assertThat(Long.toString(maxDays)).hasSize(12);
        assertThat(Durations.parseMillis(maxDays + "d")).isEqualTo(maxDays * DAY);
    }

    @Test
    void durationThatOverflowsALongIsNotADuration() {
        long tooMany = Long.MAX_VALUE / DAY + 1;
        assertThat(Durations.parseMillis(tooMany + "d")).isEqualTo(-1);
        assertThat(Durations.parseMillis("999999999999d")).isEqualTo(-1);
        assertThat(Durations.parseMillis("999999999999h")).isEqualTo(999_999_999_999L * 3_600_000L);
    }

    @Test
    void moreThanTwelveDigitsAreRejected() {
        assertThat(Durations.parseMillis("999999999999ms")).isEqualTo(999_999_999_999L);
        assertThat(Durations.parseMillis("1000000000000ms")).isEqualTo(-1);
        assertThat(Durations.parseMillis("99999999999999999999999d")).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({
        "86400000, 1d",
        "604800000, 7d",
        "90000000, 25h",
        "5400000, 90m",
        "3600000, 1h",
        "90000, 90s",
        "60000, 1m",
        "1500, 1500ms",
        "1, 1ms",
        "31536000000, 365d",
    })
    void formatUsesTheLargestUnitThatDividesExactly(long millis, String text) {
        assertThat(Durations.format(millis)).isEqualTo(text);
    }

    @Test
    void formatThenParseGivesBackTheSameMilliseconds() {
        long seed = seed("formatThenParseGivesBackTheSameMilliseconds");
        Random rnd = new Random(seed);
        long[] units = {1L, 1_000L, 60_000L, 3_600_000L, 86_400_000L};
        String[] names = {"ms", "s", "m", "h", "d"};
        for (int i = 0; i < 10_000; i++) {
            int u = rnd.nextInt(units.length);
            long n = 1 + (long) (rnd.nextDouble() * (rnd.nextBoolean() ? 1_000 : 999_999_999_998L));
            String text = n + names[u];
            long ms = Durations.parseMillis(text);
            if (n > Long.MAX_VALUE / units[u]) {
                assertThat(ms).as("seed %d: %s overflows", seed, text).isEqualTo(-1);
                continue;
            }
            assertThat(ms).as("seed %d: %s", seed, text).isEqualTo(n * units[u]);
            String formatted = Durations.format(ms);
            assertThat(Durations.parseMillis(formatted)).as("seed %d: %s formatted as %s", seed, text, formatted)
                .isEqualTo(ms);
            assertThat(formatted.length()).as("seed %d: %s is never longer than %s", seed, formatted, text)
                .isLessThanOrEqualTo(text.length());
        }
    }
}
