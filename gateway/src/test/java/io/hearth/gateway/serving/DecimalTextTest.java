package io.hearth.gateway.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.hearth.testing.Seeds;
import java.io.IOException;
import java.io.StringWriter;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** {@link DecimalText} against the writer it stands in for (Jackson's fast double writer), byte for byte. */
class DecimalTextTest {
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private static String jackson(double v) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeNumber(v);
        }
        return w.toString();
    }

    /** The fast path's text, or null where it leaves the value to Jackson. */
    private static String fast(double v) {
        char[] out = new char[DecimalText.MAX_CHARS];
        int n = DecimalText.format(v, out);
        return n < 0 ? null : new String(out, 0, n);
    }

    /** Counts the values the fast path took; fails on the first whose text differs from Jackson's. */
    private static int compare(DoubleSupplier values, int n) throws IOException {
        int taken = 0;
        for (int i = 0; i < n; i++) {
            double v = values.getAsDouble();
            String f = fast(v);
            if (f != null) {
                assertThat(f).as("text of %s (bits %x)", v, Double.doubleToRawLongBits(v)).isEqualTo(jackson(v));
                taken++;
            }
        }
        return taken;
    }

    @Test
    void valuesWithFewDecimalPlacesAreWrittenAsJacksonWritesThemAndAllTaken() throws IOException {
        SplittableRandom r = new SplittableRandom(Seeds.seed("DecimalTextTest.few"));
        for (int places = 0; places <= 8; places++) {
            double scale = Math.pow(10, places);
            int[] inRange = {0};
            int taken = compare(() -> {
                double v = r.nextLong(1, 1_000_000_000L) / scale;
                if (v >= 1e-3 && v < 1e7) {
                    inRange[0]++;
                }
                return r.nextBoolean() ? -v : v;
            }, 20_000);
            assertThat(taken).as("values with %d places in the plain range: all taken", places).isEqualTo(inRange[0]);
        }
        // cents, the shape of amounts: every one in range is taken
        assertThat(compare(() -> r.nextInt(1, 100_000_000) / 100.0, 50_000)).isEqualTo(50_000);
        // small integers and halves
        assertThat(compare(() -> r.nextInt(-10_000_000 + 1, 10_000_000) / 2.0 + 0.5, 20_000)).isEqualTo(20_000);
    }

    @Test
    void anyOtherDoubleIsEitherLeftToJacksonOrWrittenAsJacksonWritesIt() throws IOException {
        SplittableRandom r = new SplittableRandom(Seeds.seed("DecimalTextTest.any"));
        // every bit pattern (subnormals, NaNs, infinities, huge and tiny values)
        compare(() -> Double.longBitsToDouble(r.nextLong()), 200_000);
        // uniform doubles in and around the plain range, of full precision (mostly left to Jackson)
        compare(() -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 10)), 200_000);
        // averages and ratios of small counts: a few places or a repeating decimal
        compare(() -> (double) r.nextInt(0, 10_000) / r.nextInt(1, 64), 200_000);
        // neighbours of decimals: one ulp off a short decimal is not that decimal
        compare(() -> {
            double d = r.nextInt(1, 10_000_000) / 1000.0;
            return r.nextBoolean() ? Math.nextUp(d) : Math.nextDown(d);
        }, 100_000);
    }

    @Test
    void edgesOfThePlainRange() throws IOException {
        double[] edges = {0.0, -0.0, 0.001, -0.001, Math.nextDown(0.001), Math.nextUp(0.001), 0.00123, 0.0010000001,
            9_999_999.99999999, Math.nextDown(1e7), 1e7, -1e7, 9_999_999.0, 1.0, 100.0, 0.1, 0.2, 0.3, 0.1 + 0.2,
            1.5, 12_345.678, 0.12345678, 0.123456789, 3.0e-3, 5e-4, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : edges) {
            String f = fast(v);
            if (f != null) {
                assertThat(f).as("text of %s", v).isEqualTo(jackson(v));
            }
        }
        assertThat(fast(0.0)).isEqualTo("0.0");
        assertThat(fast(-0.0)).isEqualTo("-0.0");
        assertThat(fast(0.001)).isEqualTo("0.001");
        assertThat(fast(100.0)).isEqualTo("100.0");
        assertThat(fast(-12_345.67)).isEqualTo("-12345.67");
        assertThat(fast(0.1 + 0.2)).as("17 significant digits: Jackson's").isNull();
        assertThat(fast(1e7)).as("scientific from 10^7: Jackson's").isNull();
        assertThat(fast(5e-4)).as("scientific under 10^-3: Jackson's").isNull();
        assertThat(fast(Double.NaN)).isNull();
        assertThat(fast(Double.POSITIVE_INFINITY)).isNull();
    }
}
