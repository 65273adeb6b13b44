package io.hearth.gateway.serving;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.ingest.EntityKeys;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.http.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LookupRequest#parse} over the shipped demo definitions (one entity, {@code customer}, with a string key),
 * plus a few test-only views for what the demo has none of: a multi-key entity, long, double and bool keys, a
 * second entity and an offline view. Bodies are written with single quotes for readability.
 */
class LookupRequestTest {
    /** Read as the gateway reads bodies ({@code Bodies}): a key given twice is refused before parsing. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private static final String EXTRA = """
        entities:
          - name: store_item
            join_keys: [store_id, sku]
          - name: device
            join_keys: [device_id]
          - name: setting
            join_keys: [ratio, enabled]
        sources:
          - name: stock
            entity: store_item
            timestamp_field: ts
            schema: {store_id: int, sku: string, level: long, ts: timestamp}
          - name: pings
            entity: device
            timestamp_field: ts
            schema: {device_id: long, rssi: double, ts: timestamp}
          - name: settings
            entity: setting
            timestamp_field: ts
            schema: {ratio: double, enabled: bool, hits: long, ts: timestamp}
          - name: archive
            entity: customer
            timestamp_field: ts
            schema: {customer_id: string, total: double, ts: timestamp}
        feature_views:
          - name: stock_levels
            entity: store_item
            source: stock
            features:
              - {name: level, column: level}
          - name: device_signal
            entity: device
            source: pings
            features:
              - {name: rssi, column: rssi}
          - name: setting_hits
            entity: setting
            source: settings
            features:
              - {name: hits, column: hits}
          - name: customer_archive
            entity: customer
            source: archive
            online: false
            features:
              - {name: total, column: total}
        """;

    private static final Definitions DEFS = DefinitionsParser.parse(List.of(
        new DefinitionsParser.Input("definitions.yaml", demo()),
        new DefinitionsParser.Input("extra.yaml", EXTRA)));

    private static String demo() {
        try {
            return Files.readString(Path.of("../config/demo/definitions.yaml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A body from JSON written with single quotes. */
    private static JsonNode body(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static LookupRequest parse(String singleQuoted) {
        return LookupRequest.parse(body(singleQuoted), DEFS, true);
    }

    /** Parses a body that must be refused; checks it is an invalid-field answer naming {@code field} and {@code rule}. */
    private static ApiException refused(JsonNode body, String field, String rule) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> LookupRequest.parse(body, DEFS, true));
        assertThat(e).as("refusal of %s", body).isNotNull();
        assertThat(e.code()).as("code of %s", e.getMessage()).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(e.field()).as("field of '%s'", e.getMessage()).isEqualTo(field);
        assertThat(e.rule()).as("rule of '%s'", e.getMessage()).isEqualTo(rule);
        return e;
    }

    private static ApiException refused(String singleQuoted, String field, String rule) {
        return refused(body(singleQuoted), field, rule);
    }

    private static final String ONE_CUSTOMER = "'entities': {'customer_id': ['c1']}";

    // ------------------------------------------------------------------ the body

    @ParameterizedTest
    @ValueSource(strings = {"[]", "'features'", "7", "null"})
    void aBodyThatIsNotAnObjectIsRefusedAtTheRoot(String json) {
        assertThat(refused(json, "$", "type.object").getMessage()).isEqualTo("request body must be a JSON object");
    }

    @Test
    void anUnknownFieldIsRefusedNamingItAndEveryAllowedField() {
        ApiException e = refused("{'features': ['customer_orders:last_amount'], " + ONE_CUSTOMER + ", 'asof': 5}",
            "asof", "key.unknown");
        assertThat(e.getMessage()).isEqualTo("unknown field 'asof' (allowed: as_of, entities, feature_service, features, "
            + "format, full_feature_names, model, model_version)");
    }

    @Test
    void aWellFormedRequestKeepsEveryPartInRequestOrder() {
        LookupRequest r = parse("{'features': ['customer_profile:tier', 'customer_orders:last_amount', "
            + "'customer_orders:spend_7d'], 'entities': {'customer_id': ['c2', 'c1', 'c3']}}");
        assertThat(r.features()).containsExactly(new FeatureRef("customer_profile", "tier"),
            new FeatureRef("customer_orders", "last_amount"), new FeatureRef("customer_orders", "spend_7d"));
        assertThat(r.byView()).containsOnlyKeys("customer_profile", "customer_orders");
        assertThat(r.byView().keySet()).containsExactly("customer_profile", "customer_orders");
        assertThat(r.byView().get("customer_orders")).extracting(FeatureRef::feature).containsExactly("last_amount",
            "spend_7d");
        assertThat(r.joinKeys()).containsExactly("customer_id");
        assertThat(r.keyValues()).containsExactly(List.of("c2", "c1", "c3"));
        assertThat(r.entityKeys()).containsExactly("c2", "c1", "c3");
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.fullFeatureNames()).isTrue();
        assertThat(r.asOf()).isNull();
        assertThat(r.compact()).isFalse();
    }

    // ------------------------------------------------------------------ features and feature services

    @ParameterizedTest
    @ValueSource(strings = {"{" + ONE_CUSTOMER + "}", "{'features': [], " + ONE_CUSTOMER + "}",
        "{'features': 'customer_orders:last_amount', " + ONE_CUSTOMER + "}",
        "{'features': null, " + ONE_CUSTOMER + "}", "{'feature_service': null, " + ONE_CUSTOMER + "}"})
    void withoutAFeatureListOrAServiceTheFeaturesAreRequired(String json) {
        assertThat(refused(json, "features", "required").getMessage())
            .isEqualTo("features must be a non-empty list of 'view:feature' (or give feature_service)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'customer_orders'", "'customer_orders:'", "':last_amount'", "'a:b:c'", "42", "null",
        "['customer_orders:last_amount']"})
    void aFeatureNotWrittenViewColonFeatureIsRefusedAtItsIndex(String feature) {
        ApiException e = refused("{'features': ['customer_orders:last_amount', " + feature + "], " + ONE_CUSTOMER + "}",
            "features[1]", "feature_ref.syntax");
        assertThat(e.getMessage()).startsWith("expected 'view:feature', got ");
    }

    @Test
    void aFeatureOfAnUnknownViewIsRefusedWithTheClosestName() {
        ApiException e = refused("{'features': ['customer_order:last_amount'], " + ONE_CUSTOMER + "}", "features[0]",
            "ref.feature_view");
        assertThat(e.getMessage()).startsWith("unknown feature 'customer_order:last_amount'")
            .contains("customer_orders:last_amount");
    }

    @Test
    void anUnknownFeatureOfAKnownViewIsRefusedWithTheClosestName() {
        ApiException e = refused("{'features': ['customer_orders:last_amont'], " + ONE_CUSTOMER + "}", "features[0]",
            "ref.feature");
        assertThat(e.getMessage()).startsWith("unknown feature 'customer_orders:last_amont'")
            .contains("customer_orders:last_amount");
    }

    @Test
    void aFeatureRequestedTwiceIsRefusedAtItsSecondPlace() {
        ApiException e = refused("{'features': ['customer_orders:last_amount', 'customer_profile:tier', "
            + "'customer_orders:last_amount'], " + ONE_CUSTOMER + "}", "features[2]", "duplicate");
        assertThat(e.getMessage()).isEqualTo("feature 'customer_orders:last_amount' is requested twice");
    }

    @Test
    void aFeatureServiceStandsForItsFeaturesInItsOrder() {
        LookupRequest r = parse("{'feature_service': 'churn_model_v1', " + ONE_CUSTOMER + "}");
        assertThat(r.features()).extracting(FeatureRef::qualified).containsExactly(
            "customer_orders:purchase_frequency_30d", "customer_orders:average_order_value_30d",
            "customer_orders:last_amount", "customer_profile:tier", "customer_profile:tenure_days");
    }

    @Test
    void aFeatureServiceAndAFeatureListTogetherAreRefused() {
        ApiException e = refused("{'feature_service': 'churn_model_v1', 'features': ['customer_profile:tier'], "
            + ONE_CUSTOMER + "}", "feature_service", "exclusive");
        assertThat(e.getMessage()).isEqualTo("give either features or feature_service, not both");
    }

    @Test
    void aNullFeatureListBesideAFeatureServiceMeansNotGivenAsNullDoesEverywhere() {
        LookupRequest r = parse("{'feature_service': 'churn_model_v1', 'features': null, " + ONE_CUSTOMER + "}");
        assertThat(r.features()).isNotEmpty();
    }

    @Test
    void anUnknownFeatureServiceIsRefusedWithTheClosestName() {
        ApiException e = refused("{'feature_service': 'churn_model_v2', " + ONE_CUSTOMER + "}", "feature_service",
            "ref.feature_service");
        assertThat(e.getMessage()).startsWith("unknown feature service 'churn_model_v2'").contains("churn_model_v1");
    }

    @Test
    void aFeatureServiceThatIsNotAStringIsRefused() {
        refused("{'feature_service': ['churn_model_v1'], " + ONE_CUSTOMER + "}", "feature_service", "type.string");
    }

    @Test
    void aNullFeatureServiceIsNotGivenSoAFeatureListIsRead() {
        LookupRequest r = parse("{'feature_service': null, 'features': ['customer_profile:tier'], " + ONE_CUSTOMER + "}");
        assertThat(r.features()).containsExactly(new FeatureRef("customer_profile", "tier"));
    }

    @Test
    void aViewNotServedOnlineIsRefusedNamingIt() {
        ApiException e = refused("{'features': ['customer_profile:tier', 'customer_archive:total'], " + ONE_CUSTOMER
            + "}", "features", "view.offline");
        assertThat(e.getMessage()).isEqualTo("feature view 'customer_archive' is not served online (online: false)");
    }

    @Test
    void aFeatureOfAnotherEntityIsRefusedNamingBothEntities() {
        ApiException e = refused("{'features': ['customer_profile:tier', 'device_signal:rssi'], " + ONE_CUSTOMER + "}",
            "features", "entity.mixed");
        assertThat(e.getMessage()).isEqualTo(
            "features of entities 'customer' and 'device' cannot be looked up in one request");
    }

    // ------------------------------------------------------------------ entities

    @ParameterizedTest
    @ValueSource(strings = {"", ", 'entities': {}", ", 'entities': ['c1']", ", 'entities': null",
        ", 'entities': 'c1'"})
    void withoutAnObjectOfKeysTheEntitiesAreRequiredNamingTheJoinKeys(String entities) {
        ApiException e = refused("{'features': ['customer_profile:tier']" + entities + "}", "entities", "required");
        assertThat(e.getMessage()).isEqualTo(
            "entities must map each join key of entity 'customer' ([customer_id]) to a list of values");
    }

    @Test
    void aKeyThatIsNotAJoinKeyOfTheEntityIsRefused() {
        ApiException e = refused("{'features': ['customer_profile:tier'], 'entities': {'customer_id': ['c1'], "
            + "'user_id': ['u1']}}", "entities.user_id", "ref.join_key");
        assertThat(e.getMessage()).isEqualTo(
            "'user_id' is not a join key of entity 'customer' (join keys: [customer_id])");
    }

    @Test
    void aMissingJoinKeyOfAMultiKeyEntityIsRefused() {
        ApiException e = refused("{'features': ['stock_levels:level'], 'entities': {'store_id': [1]}}", "entities.sku",
            "required");
        assertThat(e.getMessage()).isEqualTo("join key 'sku' is missing from entities");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'c1'", "[]", "{}", "null", "7"})
    void aJoinKeyWhoseValuesAreNotANonEmptyListIsRefused(String values) {
        // JSON null counts as given here: the key is present, with a value that is not a list.
        ApiException e = refused("{'features': ['customer_profile:tier'], 'entities': {'customer_id': " + values + "}}",
            "entities.customer_id", "type.list");
        assertThat(e.getMessage()).isEqualTo("'customer_id' must be a non-empty list of values");
    }

    @Test
    void joinKeysWithListsOfDifferentLengthsAreRefusedAtTheLaterKey() {
        // Checked in the entity's join key order (store_id, sku), whatever order the body gives them in.
        ApiException e = refused("{'features': ['stock_levels:level'], 'entities': {'sku': ['a', 'b', 'c'], "
            + "'store_id': [1, 2]}}", "entities.sku", "length.mismatch");
        assertThat(e.getMessage()).isEqualTo("'sku' has 3 values, other join keys have 2");
    }

    @Test
    void atMostTenThousandEntitiesAreLookedUpPerRequest() {
        assertThat(LookupRequest.parse(customers(LookupRequest.MAX_ENTITIES), DEFS, true).size())
            .isEqualTo(LookupRequest.MAX_ENTITIES);
        ApiException e = refused(customers(LookupRequest.MAX_ENTITIES + 1), "entities.customer_id", "max_entities");
        assertThat(e.getMessage()).isEqualTo("at most 10000 entities per request, got 10001");
    }

    private static JsonNode customers(int n) {
        ObjectNode b = JSON.createObjectNode();
        b.putArray("features").add("customer_profile:tier");
        ArrayNode ids = b.putObject("entities").putArray("customer_id");
        for (int i = 0; i < n; i++) {
            ids.add("c" + i);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "{}", "['c1']"})
    void aKeyValueThatIsNotAScalarIsRefusedAtItsIndex(String value) {
        ApiException e = refused("{'features': ['customer_profile:tier'], 'entities': {'customer_id': ['c0', " + value
            + "]}}", "entities.customer_id[1]", "schema.type");
        assertThat(e.getMessage()).startsWith("expected a string key value, got ");
    }

    @Test
    void stringKeysTakeNumbersAndBooleansInTheirCanonicalText() {
        LookupRequest r = parse("{'features': ['customer_profile:tier'], 'entities': {'customer_id': "
            + "[42, 12.50, 1e20, 123456789012345678901234567890, -0.0010, true, false, 'c 1']}}");
        assertThat(r.keyValues().get(0)).containsExactly("42", "12.5", "100000000000000000000",
            "123456789012345678901234567890", "-0.001", "true", "false", "c 1");
        assertThat(r.entityKeys()).containsExactly("42", "12.5", "100000000000000000000",
            "123456789012345678901234567890", "-0.001", "true", "false", "c 1");
    }

    @Test
    void longKeysTakeWholeNumbersAsNumbersTextOrWholeDoubles() {
        LookupRequest r = parse("{'features': ['device_signal:rssi'], 'entities': {'device_id': "
            + "[9223372036854775807, -9223372036854775808, '17', 3.0]}}");
        assertThat(r.keyValues().get(0)).containsExactly(Long.MAX_VALUE, Long.MIN_VALUE, 17L, 3L);
        assertThat(r.entityKeys()).containsExactly("9223372036854775807", "-9223372036854775808", "17", "3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "3.5", "'17x'", "true"})
    void longKeysRefuseBigIntegersPastTheirRangeAndWhatIsNotAWholeNumber(String value) {
        ApiException e = refused("{'features': ['device_signal:rssi'], 'entities': {'device_id': [1, " + value + "]}}",
            "entities.device_id[1]", "schema.type");
        assertThat(e.getMessage()).startsWith("expected long, got ");
    }

    @Test
    void intKeysRefuseWholeNumbersPastTheIntRange() {
        ApiException e = refused("{'features': ['stock_levels:level'], 'entities': {'store_id': [2147483647, "
            + "2147483648], 'sku': ['a', 'b']}}", "entities.store_id[1]", "schema.type");
        assertThat(e.getMessage()).isEqualTo("expected int, got 2147483648 (out of range)");
    }

    @Test
    void doubleAndBoolKeysAreEncodedInTheirStorageForm() {
        LookupRequest r = parse("{'features': ['setting_hits:hits'], 'entities': {'ratio': [1, '0.25', 1e-7], "
            + "'enabled': [true, 'false', '1']}}");
        assertThat(r.keyValues()).containsExactly(List.of(1.0, 0.25, 1e-7), List.of(true, false, true));
        assertThat(r.entityKeys()).containsExactly(EntityKeys.encode(List.of("1.0", "true")),
            EntityKeys.encode(List.of("0.25", "false")), EntityKeys.encode(List.of("1.0E-7", "true")));
    }

    @Test
    void aBoolKeyRefusesWhatIsNotTrueOrFalse() {
        ApiException e = refused("{'features': ['setting_hits:hits'], 'entities': {'ratio': [1], 'enabled': ['yes']}}",
            "entities.enabled[0]", "schema.type");
        assertThat(e.getMessage()).isEqualTo("expected bool, got \"yes\"");
    }

    @Test
    void multiKeyEntitiesAreReadInJoinKeyOrderWhateverTheBodysOrder() {
        LookupRequest r = parse("{'features': ['stock_levels:level'], 'entities': {'sku': ['a', 'b'], "
            + "'store_id': ['7', 8]}}");
        assertThat(r.joinKeys()).containsExactly("store_id", "sku");
        assertThat(r.keyValues()).containsExactly(List.of(7L, 8L), List.of("a", "b"));
        assertThat(r.entityKeys()).containsExactly("7\u001Fa", "8\u001Fb");
    }

    @Test
    void multiKeyEntityKeysDecodeToTheValuesGivenInRequestOrder() {
        long seed = Seeds.seed("LookupRequestTest");
        System.out.println("LookupRequestTest.multiKeyEntityKeysDecodeToTheValuesGivenInRequestOrder: seed " + seed
            + " (replay with -Dhearth.seed=" + seed + ")");
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(200);
        ObjectNode b = JSON.createObjectNode();
        b.putArray("features").add("stock_levels:level");
        ObjectNode entities = b.putObject("entities");
        ArrayNode skus = entities.putArray("sku");
        ArrayNode stores = entities.putArray("store_id");
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int store = rnd.nextInt();
            StringBuilder sku = new StringBuilder();
            for (int j = rnd.nextInt(12); j > 0; j--) {
                sku.append((char) (rnd.nextBoolean() ? 'a' + rnd.nextInt(26) : 0x20 + rnd.nextInt(0x7e - 0x20)));
            }
            if (rnd.nextBoolean()) {
                stores.add(store);
            } else {
                stores.add(Integer.toString(store));
            }
            skus.add(sku.toString());
            expected.add(List.of(Integer.toString(store), sku.toString()));
        }
        LookupRequest r = LookupRequest.parse(b, DEFS, true);
        assertThat(r.size()).as("seed %d", seed).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(EntityKeys.decode(r.entityKeys().get(i))).as("entity %d of %s (seed %d)", i, b, seed)
                .isEqualTo(expected.get(i));
        }
    }

    // ------------------------------------------------------------------ full_feature_names

    @Test
    void fullFeatureNamesDefaultsToTheEndpointsDefault() {
        JsonNode b = body("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + "}");
        // /v1/features/online passes true, Feast's /get-online-features false.
        assertThat(LookupRequest.parse(b, DEFS, true).fullFeatureNames()).isTrue();
        assertThat(LookupRequest.parse(b, DEFS, false).fullFeatureNames()).isFalse();
        JsonNode nulled = body("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'full_feature_names': null}");
        assertThat(LookupRequest.parse(nulled, DEFS, true).fullFeatureNames()).isTrue();
        assertThat(LookupRequest.parse(nulled, DEFS, false).fullFeatureNames()).isFalse();
    }

    @Test
    void fullFeatureNamesGivenOverridesEitherEndpointsDefault() {
        for (boolean dflt : new boolean[] {true, false}) {
            for (boolean given : new boolean[] {true, false}) {
                JsonNode b = body("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'full_feature_names': "
                    + given + "}");
                assertThat(LookupRequest.parse(b, DEFS, dflt).fullFeatureNames()).as("default %s, given %s", dflt, given)
                    .isEqualTo(given);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"'true'", "1", "[]"})
    void fullFeatureNamesMustBeTrueOrFalse(String value) {
        ApiException e = refused("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'full_feature_names': "
            + value + "}", "full_feature_names", "type.bool");
        assertThat(e.getMessage()).startsWith("full_feature_names must be true or false, got ");
    }

    // ------------------------------------------------------------------ as_of

    private static LookupRequest asOf(String value) {
        return parse("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'as_of': " + value + "}");
    }

    @Test
    void asOfIsAbsentUnlessGiven() {
        assertThat(asOf("null").asOf()).isNull();
    }

    @Test
    void asOfTakesEpochMillisOrIsoText() {
        long t = Instant.parse("2024-01-02T03:04:05.678Z").toEpochMilli();
        assertThat(asOf(Long.toString(t)).asOf()).isEqualTo(t);
        assertThat(asOf("'" + t + "'").asOf()).isEqualTo(t);
        assertThat(asOf("'2024-01-02T03:04:05.678Z'").asOf()).isEqualTo(t);
        assertThat(asOf("'2024-01-02T05:04:05.678+02:00'").asOf()).isEqualTo(t);
        assertThat(asOf("'2024-01-02T03:04:05.678'").asOf()).as("no offset: UTC").isEqualTo(t);
        assertThat(asOf("'2024-01-02 03:04:05.678'").asOf()).as("a space for the T").isEqualTo(t);
        assertThat(asOf("'2024-01-02'").asOf()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z").toEpochMilli());
    }

    @Test
    void asOfTakesBothEndsOfTheAcceptedTimes() {
        assertThat(asOf("0").asOf()).isEqualTo(Timestamps.MIN);
        assertThat(asOf(Long.toString(Timestamps.MAX)).asOf()).isEqualTo(Timestamps.MAX);
        assertThat(asOf("'9999-12-31T23:59:59.999Z'").asOf()).isEqualTo(Timestamps.MAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "253402300800000", "9223372036854775808", "'1969-12-31T23:59:59.999Z'",
        "'+10000-01-01T00:00:00Z'", "'-1'"})
    void asOfOutsideTheAcceptedTimesIsRefusedSayingWhichTimesAre(String value) {
        ApiException e = refused("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'as_of': " + value + "}",
            "as_of", "type.timestamp");
        assertThat(e.getMessage()).contains(Timestamps.RANGE_TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'yesterday'", "'2024-13-01'", "1.5", "true", "[0]", "{}"})
    void asOfThatIsNotATimeIsRefused(String value) {
        ApiException e = refused("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'as_of': " + value + "}",
            "as_of", "type.timestamp");
        assertThat(e.getMessage()).startsWith("as_of");
    }

    // ------------------------------------------------------------------ format

    @Test
    void formatIsColumnsUnlessCompactIsAsked() {
        String base = "{'features': ['customer_profile:tier'], " + ONE_CUSTOMER;
        assertThat(parse(base + "}").compact()).isFalse();
        assertThat(parse(base + ", 'format': null}").compact()).isFalse();
        assertThat(parse(base + ", 'format': 'columns'}").compact()).isFalse();
        assertThat(parse(base + ", 'format': 'compact'}").compact()).isTrue();
    }

    @Test
    void anUnknownFormatIsRefusedNamingBothFormats() {
        ApiException e = refused("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'format': 'Compact'}",
            "format", "enum");
        assertThat(e.getMessage()).isEqualTo("format must be \"columns\" (the default) or \"compact\", got \"Compact\"");
    }

    @Test
    void aLongUnknownFormatIsShortenedInTheAnswer() {
        ApiException e = refused("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'format': '"
            + "x".repeat(500) + "'}", "format", "enum");
        assertThat(e.getMessage()).contains("x".repeat(77) + "...").doesNotContain("x".repeat(78));
    }

    @Test
    void aFormatThatIsNotAStringIsRefused() {
        refused("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'format': 1}", "format", "type.string");
    }

    // ------------------------------------------------------------------ order of checks

    @Test
    void featuresAreCheckedBeforeEntitiesAndEntitiesBeforeOptions() {
        refused("{'features': ['nope:x'], 'entities': {}, 'format': 'rows'}", "features[0]", "ref.feature_view");
        refused("{'features': ['customer_profile:tier'], 'entities': {}, 'format': 'rows'}", "entities", "required");
        refused("{'features': ['customer_profile:tier'], " + ONE_CUSTOMER + ", 'as_of': 'x', 'format': 'rows'}", "as_of",
            "type.timestamp");
    }
}
