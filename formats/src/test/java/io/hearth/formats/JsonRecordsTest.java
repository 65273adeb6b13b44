package io.hearth.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting a streamed JSON body into records, whatever the chunks, and reading one record by one rule. */
class JsonRecordsTest {
    private static List<String> split(String body, int chunk) throws IOException {
        List<String> out = new ArrayList<>();
        JsonRecords r = new JsonRecords(1 << 20, new JsonRecords.Sink() {
            public void record(byte[] json) {
                out.add(new String(json, StandardCharsets.UTF_8));
            }

            public void notObject(String raw) {
                out.add("scalar:" + raw);
            }
        });
        byte[] all = body.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < all.length; i += chunk) {
            r.feed(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + chunk)));
        }
        r.end();
        return out;
    }

    @Test
    void anArrayIsSplitIntoItsValuesWhateverTheChunks() throws IOException {
        String body = " [ {\"a\": 1, \"b\": [1,{\"c\":\"]}\"}]} , 5, \"s\", {\"ü\":\"ü\"}, [1, 2] ,{}]\n";
        List<String> whole = split(body, body.length());
        assertThat(whole).containsExactly("{\"a\": 1, \"b\": [1,{\"c\":\"]}\"}]}", "scalar:5", "scalar:s",
            "{\"ü\":\"ü\"}", "[1, 2]", "{}");
        for (int chunk = 1; chunk < body.length(); chunk++) {
            assertThat(split(body, chunk)).as("chunks of %d bytes", chunk).isEqualTo(whole);
        }
    }

    @Test
    void objectsOneAfterAnotherAreRecordsToo() throws IOException {
        assertThat(split("{\"a\":1}\n{\"a\":2} {\"a\":3}", 3)).containsExactly("{\"a\":1}", "{\"a\":2}", "{\"a\":3}");
    }

    @Test
    void aBodyCutShortIsAnError() {
        assertThatThrownBy(() -> split("[{\"a\":1},{\"a\"", 4)).isInstanceOf(IOException.class);
    }

    @Test
    void aRecordPastTheLimitIsTooLong() {
        JsonRecords r = new JsonRecords(50, new JsonRecords.Sink() {
            public void record(byte[] json) {
            }

            public void notObject(String raw) {
            }
        });
        assertThatThrownBy(() -> r.feed(("[{\"a\":\"" + "x".repeat(100)).getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(JsonRecords.TooLong.class);
    }

    @Test
    void aRecordWithAKeyTwiceIsRefusedNamingTheKey() {
        JsonRecords.Read r = JsonRecords.read("{\"amount\":1,\"amount\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(r).isEqualTo(new JsonRecords.Broken("amount", "json.duplicate_key",
            "key 'amount' appears twice in the record"));
    }

    @Test
    void bigNumbersArriveAsWrittenForTheSchemaToJudge() {
        JsonRecords.Read r = JsonRecords.read("{\"n\":9223372036854775808,\"d\":1.5}".getBytes(StandardCharsets.UTF_8));
        assertThat(((JsonRecords.Fields) r).fields().get("n")).isEqualTo(new BigInteger("9223372036854775808"));
    }

    @Test
    void whatIsNotAnObjectIsSaid() {
        assertThat(((JsonRecords.Broken) JsonRecords.read("[1]".getBytes(StandardCharsets.UTF_8))).rule())
            .isEqualTo("json.not_object");
        assertThat(((JsonRecords.Broken) JsonRecords.read("{".getBytes(StandardCharsets.UTF_8))).rule())
            .isEqualTo("json.syntax");
        assertThat(((JsonRecords.Broken) JsonRecords.read(("[".repeat(3000) + "]".repeat(3000))
            .getBytes(StandardCharsets.UTF_8))).rule()).isEqualTo("json.limits");
    }
}
