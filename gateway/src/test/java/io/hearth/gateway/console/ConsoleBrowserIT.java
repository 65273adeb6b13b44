package io.hearth.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.catalog.Expectation;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.Harness;
import io.hearth.quality.QualityResult;
import io.hearth.quality.QualityStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs) against
 * a real node and gateway holding the demo, two registry versions, events, quarantined records, a lookup and a
 * training set, and a third version adding a source with expectations (five judged windows of 1,000 records, one
 * failing a warn expectation, the last failing a block one, which opens its breaker), a source whose expectations
 * have judged nothing yet, and a feature with expectations and results as training-set validation writes them:
 * typing and clicking as a person does, asserting what the page shows. After every step the page's
 * JavaScript errors (window.__hearthErrors, filled by errors.js) and the browser's SEVERE console lines must be
 * empty. A screenshot of every page is kept in target/console-screenshots/.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class ConsoleBrowserIT {
    static final long NOW = Timestamps.parse("2026-03-01T12:00:00Z");
    static final Path CHROMIUM = Path.of(System.getProperty("hearth.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("hearth.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "console-screenshots");

    /** Sources with expectations, added to the demo by a third registry version. */
    static final String QUALITY_SOURCES = """
          - name: payments
            entity: customer
            timestamp_field: event_ts
            id_field: payment_id
            schema:
              customer_id: string
              payment_id: string
              event_ts: timestamp
              amount: double
              country: string
            expectations:
              window: 1000
              columns:
                amount:
                  - {expect: not_null, mostly: 0.99, severity: block}
                  - {expect: mean_between, min: 40, max: 60}
                  - {expect: drift, method: psi, reference: payments_ref, warn: 0.1, fail: 0.25}
                country:
                  - {expect: in_set, values: [US, DE, FR], mostly: 0.98}
                event_ts:
                  - {expect: freshness, max_lag: 10m}
            description: One event per card payment.

          - name: refunds
            entity: customer
            timestamp_field: event_ts
            schema:
              customer_id: string
              refund_id: string
              event_ts: timestamp
              amount: double
            expectations:
              columns:
                amount:
                  - {expect: between, min: 0, max: 5000}

        """;
    static final String QUALITY_VIEWS = """
          - name: payment_risk
            entity: customer
            source: payments
            online: true
            features:
              - name: last_payment
                column: amount
                description: Amount of the customer's latest card payment.
            expectations:
              last_payment:
                - {expect: not_null, mostly: 0.95}
                - {expect: between, min: 0, max: 10000}

        """;
    /** The payments windows judged: the fourth fails in_set (warn), the fifth not_null (block). */
    static final int WINDOWS = 5;
    static int nextPayment;

    @TempDir
    static Path dir;
    static Harness h;
    static ChromeDriver browser;
    static WebDriverWait wait;
    /** Browser console lines a step expects (a 404 the page shows as an error), not failures. */
    static final List<String> expectedLog = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
            .as("the console's browser tests need Debian's chromium and chromium-driver (%s, %s): .ci/run installs them "
                + "with apt-get; by hand: apt-get install -y chromium chromium-driver", CHROMIUM, CHROMEDRIVER)
            .isTrue();
        h = new Harness(dir, NOW, 1L << 30, s -> s.withUsageFlushMillis(0)).start();
        Harness.Response r = h.applyYaml(Harness.DEMO_YAML);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // a second version: a description with markup, which every page must show as text
        String v2 = Harness.DEMO_YAML.replace("description: Total spent in the last 7 days.",
            "description: Total spent in the last 7 days <b>(sum)</b>.");
        assertThat(v2).isNotEqualTo(Harness.DEMO_YAML);
        r = h.applyYaml(v2);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String t = Timestamps.format(NOW - 3_600_000);
        r = h.ndjson("orders", String.join("\n",
            "{\"customer_id\":\"C1001\",\"order_id\":\"B-1\",\"amount\":42.5,\"channel\":\"app\",\"event_ts\":\"" + t + "\"}",
            "{\"customer_id\":\"C1001\",\"order_id\":\"B-2\",\"amount\":17.25,\"channel\":\"web\",\"event_ts\":\"" + t + "\"}",
            "{\"customer_id\":\"C1001\",\"order_id\":\"B-3\",\"amount\":-3,\"channel\":\"app\",\"event_ts\":\"" + t + "\"}",
            "{\"customer_id\":\"C1002\",\"order_id\":\"B-4\",\"amount\":5,\"channel\":\"fax\",\"event_ts\":\"" + t + "\"}"));
        assertThat(r.json().get("rejected").asInt()).as(r.body()).isEqualTo(2);
        r = h.postJson("/v1/features/online", "{\"features\":[\"customer_orders:spend_7d\"],"
            + "\"entities\":{\"customer_id\":[\"C1001\"]}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        r = h.send("POST", "/v1/training-sets?name=churn_train&feature_service=churn_model_v1", "text/csv",
            "customer_id,event_ts,churned\nC1001," + Timestamps.format(NOW) + ",0\nC1002," + t + ",1\n");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String job = r.json().get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> h.get("/v1/training-sets/" + job).json().get("status").asText(),
            s -> s.equals("SUCCEEDED"));
        quality(v2);

        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1280,900", "--lang=en-US", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    /** The third registry version (payments and refunds with expectations), windows of payments, feature results. */
    static void quality(String v2) {
        String v3 = v2.replace("\nfeature_views:\n", "\n" + QUALITY_SOURCES + "feature_views:\n")
            .replace("\nfeature_services:\n", "\n" + QUALITY_VIEWS + "feature_services:\n");
        assertThat(v3).contains("name: payments").contains("name: payment_risk");
        Harness.Response r = h.applyYaml(v3);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        SplittableRandom random = new SplittableRandom(7);
        for (int w = 0; w < WINDOWS; w++) {
            int nulls = w == WINDOWS - 1 ? 30 : 0;
            int foreign = w == WINDOWS - 2 ? 40 : 0;
            r = h.ndjson("payments", payments(random, nulls, foreign));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(r.json().get("breaker_opened").asText()).contains("not_null").contains("column amount");
        // what training-set validation writes for a feature: three judged windows, the second failed
        long t = NOW - 3_600_000;
        List<QualityResult> feature = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double observed = i == 1 ? 0.9 : 0.99 + i * 0.004;
            feature.add(new QualityResult("payments", null, "payment_risk:last_payment", "not_null", t + i * 60_000L,
                t + i * 60_000L + 59_000, 2000, Math.round(2000 * (1 - observed)), observed, observed >= 0.95,
                Expectation.Severity.WARN, "training set churn_train: " + Math.round(observed * 1000) / 10.0
                    + "% of rows non-null", "training_set:churn_train"));
        }
        new QualityStore(h.node.ignite()).record(feature);
    }

    /** A window of 1,000 payments arriving a second after the last: {@code nulls} without an amount, {@code foreign}
     * from a country not in the expected set. */
    static String payments(SplittableRandom random, int nulls, int foreign) {
        h.clock.advance(1000);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            int id = nextPayment++;
            b.append("{\"customer_id\":\"C").append(1000 + id % 50).append("\",\"payment_id\":\"P").append(id)
                .append("\",\"event_ts\":").append(NOW - 60_000 + id % 1000).append(",\"country\":\"")
                .append(i < foreign ? "GB" : new String[] {"US", "DE", "FR"}[id % 3]).append('"');
            if (i >= nulls) {
                b.append(",\"amount\":").append(Math.round((50 + random.nextGaussian() * 10) * 100) / 100.0);
            }
            b.append("}\n");
        }
        return b.toString();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (h != null) {
            h.close();
        }
    }

    @AfterEach
    void noJavaScriptErrorLeftBehind() {
        assertNoErrors("end of test");
    }

    // ---- helpers

    static void open(String path) {
        browser.get(h.url(path));
        waitIdle();
        assertNoErrors("open " + path);
    }

    /** Waits until the page shows no "Loading…", "Searching…", "Reading…" or "Drawing…" placeholder. */
    static void waitIdle() {
        wait.until(d -> ((JavascriptExecutor) d).executeScript("return document.readyState").equals("complete")
            && d.findElements(By.cssSelector("main .page")).size() == 1
            && d.findElements(By.xpath("//main//p[contains(@class,'muted') and (starts-with(normalize-space(.),'Loading')"
                + " or starts-with(normalize-space(.),'Searching') or starts-with(normalize-space(.),'Reading')"
                + " or starts-with(normalize-space(.),'Drawing'))]")).isEmpty());
    }

    @SuppressWarnings("unchecked")
    static List<String> pageErrors() {
        Object o = browser.executeScript("return window.__hearthErrors || ['errors.js did not load']");
        return (List<String>) o;
    }

    static void assertNoErrors(String step) {
        List<String> severe = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()
                && expectedLog.stream().noneMatch(x -> e.getMessage().contains(x))) {
                severe.add(e.getMessage());
            }
        }
        assertThat(pageErrors()).as("JavaScript errors after '%s' on %s", step, browser.getCurrentUrl()).isEmpty();
        assertThat(severe).as("browser console errors after '%s' on %s", step, browser.getCurrentUrl()).isEmpty();
    }

    /** A screenshot of the whole page (the window grown to its height). */
    static void shot(String name) {
        browser.executeScript("window.scrollTo(0, 0)");
        Number height = (Number) browser.executeScript("return Math.max(document.documentElement.scrollHeight, 600)");
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height.longValue() + 40, 4000)));
        try {
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    static String path() {
        String url = browser.getCurrentUrl();
        String p = url.substring(url.indexOf("/console"));
        return URLDecoder.decode(p, StandardCharsets.UTF_8);
    }

    static WebElement visible(String css) {
        return wait.until(d -> {
            List<WebElement> els = d.findElements(By.cssSelector(css));
            return els.isEmpty() || !els.get(0).isDisplayed() ? null : els.get(0);
        });
    }

    /** The texts of the elements css selects; empty while the page replaces them. */
    static List<String> texts(String css) {
        try {
            return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return List.of();
        }
    }

    // ---- the pages

    @Test
    void a1_typingSuggestsNamesAndPickingOneOpensItsPage() {
        open("/console/search");
        WebElement box = visible("#search-q");
        box.sendKeys("spend");
        WebElement suggestion = visible("#suggestions li[data-name='customer_orders:spend_7d'] a");
        assertNoErrors("type-ahead");
        shot("01-search-typeahead");
        suggestion.click();
        wait.until(d -> path().equals("/console/feature/customer_orders:spend_7d"));
        waitIdle();
        assertThat(visible("h1 .object-name").getText()).isEqualTo("customer_orders:spend_7d");
    }

    @Test
    void a2_searchShowsHighlightedHitsFacetsWithCountsAndDeprecatedBadgesAndAFacetClickFilters() {
        open("/console/search");
        visible("#search-q").sendKeys("order", Keys.ENTER);
        wait.until(d -> path().equals("/console/search?q=order"));
        waitIdle();
        assertThat(texts(".hit .hit-name")).contains("customer_orders:average_order_value_30d", "orders");
        assertThat(texts(".hit[data-id='feature:customer_orders:average_order_value_30d'] .hit-name mark"))
            .contains("orders", "order");
        assertThat(texts(".hit.is-deprecated .hit-name")).containsExactly("customer_orders:max_order_1d");
        assertThat(browser.findElements(By.cssSelector(".hit.is-deprecated .badge.deprecated"))).hasSize(1);
        String featureCount = visible(".facet[data-facet='kind'] a[data-value='feature'] + .count").getText();
        assertThat(Integer.parseInt(featureCount)).isGreaterThan(1);
        shot("02-search-results");

        browser.findElement(By.cssSelector(".facet[data-facet='kind'] a[data-value='feature']")).click();
        wait.until(d -> path().equals("/console/search?q=order&kind=feature"));
        waitIdle();
        assertNoErrors("facet click");
        assertThat(visible(".total").getText()).startsWith(featureCount + " found");
        assertThat(texts(".hit .kind")).hasSize(Integer.parseInt(featureCount)).allMatch(k -> k.equalsIgnoreCase("feature"));
        assertThat(visible(".chip[data-filter='kind']").getText()).contains("kind: feature");
        shot("03-search-facet-kind-feature");

        // the page is its URL: reloading shows the same filtered search
        browser.navigate().refresh();
        waitIdle();
        assertThat(visible("#search-q").getAttribute("value")).isEqualTo("order");
        assertThat(texts(".hit .kind")).hasSize(Integer.parseInt(featureCount));

        // a typo in a long word still finds it, and the word it meant is marked
        WebElement box = visible("#search-q");
        box.clear();
        box.sendKeys("order valeu", Keys.ENTER);
        wait.until(d -> path().equals("/console/search?q=order valeu&kind=feature"));
        waitIdle();
        assertThat(texts(".hit .hit-name")).containsExactly("customer_orders:average_order_value_30d");
        assertThat(texts(".hit .hit-name mark")).contains("value");
    }

    @Test
    void a3_aFeaturePageShowsDocumentationUsageVersionsWithADiffAndLineageWhoseNodesAreLinks() {
        open("/console/feature/customer_orders:spend_7d");
        // markup in a description is text, never markup
        assertThat(visible(".description").getText()).isEqualTo("Total spent in the last 7 days <b>(sum)</b>.");
        assertThat(browser.findElements(By.cssSelector(".description b"))).isEmpty();
        assertThat(visible("dl.meta .owner").getText()).contains("growth-team");
        assertThat(texts("table.usage td")).contains("named features (no service)", "1");
        assertThat(texts("ol.versions > li")).hasSize(2);
        assertThat(texts("pre.diff .del")).anyMatch(l -> l.contains("\"description\": \"Total spent in the last 7 days.\""));
        assertThat(texts("pre.diff .add"))
            .anyMatch(l -> l.contains("\"description\": \"Total spent in the last 7 days <b>(sum)</b>.\""));
        WebElement column = visible("svg.lineage a.node-link g[data-id='column:orders.amount']");
        assertThat(browser.findElements(By.cssSelector("svg.lineage g.node.root[data-id='feature:customer_orders:spend_7d']")))
            .hasSize(1);
        assertThat(browser.findElements(By.cssSelector("svg.lineage path.edge"))).hasSizeGreaterThanOrEqualTo(4);
        shot("04-feature-page");

        column.click();
        wait.until(d -> path().startsWith("/console/column/orders.amount"));
        waitIdle();
        assertNoErrors("lineage click");
        assertThat(visible("h1 .object-name").getText()).isEqualTo("orders.amount");
        assertThat(texts("dl.facts")).anyMatch(t -> t.contains("double"));
        // back goes back, as in any web page
        browser.navigate().back();
        wait.until(d -> path().startsWith("/console/feature/customer_orders:spend_7d"));
        waitIdle();
        assertThat(visible("h1 .object-name").getText()).isEqualTo("customer_orders:spend_7d");
    }

    @Test
    void a4_aViewPageLooksUpAnEntitysValues() {
        open("/console/view/customer_orders");
        assertThat(texts("table.features td:first-child")).contains("spend_7d", "max_order_1d");
        WebElement key = visible("#key-customer_id");
        key.sendKeys("C1001", Keys.ENTER);
        wait.until(d -> !d.findElements(By.cssSelector("table.lookup")).isEmpty());
        assertNoErrors("lookup");
        assertThat(path()).contains("customer_id=C1001");
        String table = visible("table.lookup").getText();
        assertThat(table).contains("customer_orders__last_amount").contains("PRESENT");
        shot("05-view-page-lookup");
    }

    @Test
    void a5_aSourcePageShowsDefinitionSchemaAndRawEvents() {
        open("/console/source/orders?customer_id=C1001&days=3650");
        assertThat(texts("table.schema td:first-child")).contains("amount", "channel");
        assertThat(visible("table.schema").getText()).contains("min: 0");
        wait.until(d -> !d.findElements(By.cssSelector("table.events")).isEmpty());
        assertThat(visible("table.events").getText()).contains("B-1").contains("42.5");
        shot("06-source-object-page");
    }

    @Test
    void a6_theSourcesPageChartsThroughputShowsTheBreakerAndFiltersTheQuarantineByRule() {
        open("/console/sources");
        assertThat(texts("table.sources td:first-child")).contains("orders", "profiles");
        shot("07-sources");
        browser.findElement(By.linkText("orders")).click();
        wait.until(d -> path().equals("/console/sources/orders"));
        waitIdle();
        assertThat(visible(".breaker-state").getText()).contains("CLOSED");
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).isNotEmpty();
        wait.until(d -> !d.findElements(By.cssSelector("table.quarantine")).isEmpty());
        assertThat(texts("table.quarantine code.rule")).contains("contract.min", "contract.allowed");

        new Select(visible("#rule-filter")).selectByValue("contract.allowed");
        wait.until(d -> {
            List<String> rules = texts("table.quarantine code.rule");
            return !rules.isEmpty() && rules.stream().allMatch("contract.allowed"::equals);
        });
        assertThat(path()).isEqualTo("/console/sources/orders?rule=contract.allowed");
        browser.findElement(By.cssSelector("table.quarantine button[data-record='0']")).click();
        assertThat(visible("table.quarantine .raw-cell pre.raw").getText()).contains("\"channel\": \"fax\"");
        assertNoErrors("quarantine filter");
        shot("08-source-operations-quarantine");
        // the page reads the status again every few seconds, and draws what it read
        wait.until(d -> browser.findElements(By.cssSelector("svg.chart circle")).size() >= 1
            && ((Number) browser.executeScript("return document.querySelectorAll('svg.chart polyline')[0]"
                + ".getAttribute('points').split(' ').length")).intValue() >= 2);
        assertNoErrors("status refresh");
    }

    @Test
    void a7_theTrainingSetsPageShowsJobsWithProgressAndDownloads() {
        open("/console/training-sets");
        WebElement row = visible("table.jobs tbody tr");
        assertThat(row.getText()).contains("churn_train").contains("SUCCEEDED").contains("100%");
        String csv = row.findElement(By.linkText("CSV")).getAttribute("href");
        Harness.Response r = h.get(csv.substring(csv.indexOf("/v1/")));
        assertThat(r.body()).startsWith("customer_id,event_ts,churned,customer_orders__purchase_frequency_30d");
        assertThat(texts("table.known td:first-child")).contains("churn_train");
        shot("09-training-sets");
        browser.findElement(By.cssSelector("table.known a")).click();
        wait.until(d -> path().equals("/console/training_set/churn_train"));
        waitIdle();
        assertThat(visible("table.runs").getText()).contains("COMPLETE").contains("churn_model_v1");
        shot("10-training-set-page");
    }

    @Test
    void a8_anApiErrorIsShownToThePersonNotSwallowed() {
        expectedLog.add("404"); // the browser logs the failed fetch; the page shows it
        try {
            open("/console/feature/customer_orders:nope");
            assertThat(visible("main .alert").getText()).contains("HEARTH-REQ-5").contains("unknown feature");
            shot("11-error");
        } finally {
            browser.manage().logs().get(LogType.BROWSER); // read (and so drop) the expected lines
            expectedLog.clear();
        }
    }

    @Test
    void a9_aScriptThatFailsToLoadIsCaughtByTheErrorCheckAndShownOnThePage() {
        open("/console/search?q=order");
        // (errors of a script the test runs itself are muted for the page, as any cross-origin script's: a script of
        // the page's own origin that is missing is what a broken deployment looks like)
        expectedLog.add("planted.js");
        try {
            browser.executeScript("const s = document.createElement('script'); s.src = '/console/assets/0/planted.js';"
                + " document.head.appendChild(s);");
            wait.until(d -> !pageErrors().isEmpty());
            assertThat(pageErrors()).anyMatch(e -> e.contains("could not load") && e.contains("planted.js"));
            assertThat(visible("#fatal").getText()).contains("planted.js");
            open("/console/search"); // a fresh page for the check after this test
        } finally {
            expectedLog.clear();
        }
    }

    @Test
    void b1_assetsAreCacheableAndThePageIsNot() {
        Harness.Response page = h.get("/console/search?q=x");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        String css = page.body().replaceAll("(?s).*href=\"(/console/assets/[^\"]+\\.css)\".*", "$1");
        Harness.Response asset = h.get(css);
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.header("Cache-Control")).contains("immutable");
        assertThat(h.get("/console/assets/" + "0".repeat(12) + "/nope.js").status()).isEqualTo(404);
        assertThat(h.get("/console").status()).isEqualTo(302);
    }

    @Test
    void b2_theReadOnlyEndpointsTheConsoleAddedAnswerTheirDocumentedShapes() {
        var rules = h.get("/v1/quarantine/rules?source=orders").json();
        assertThat(rules.get("source").asText()).isEqualTo("orders");
        assertThat(rules.get("count").asLong()).isEqualTo(2);
        assertThat(rules.get("rules").get("contract.min").asLong()).isEqualTo(1);
        assertThat(rules.get("rules").get("contract.allowed").asLong()).isEqualTo(1);
        assertThat(h.get("/v1/quarantine/rules?source=profiles").json().get("count").asLong()).isZero();
        assertThat(h.get("/v1/quarantine/rules").json().get("count").asLong()).isEqualTo(2);

        var jobs = h.get("/v1/training-sets").json().get("jobs");
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("name").asText()).isEqualTo("churn_train");
        assertThat(jobs.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(jobs.get(0).at("/links/csv").asText()).endsWith("/data?format=csv");
    }

    // ---- data quality

    /** The payments results of one expectation, as the API gives them (window order). */
    static List<JsonNode> results(String query) {
        List<JsonNode> out = new ArrayList<>();
        h.get("/v1/quality/results?" + query).json().get("results").forEach(out::add);
        return out;
    }

    static String card(String subject, String expect) {
        return ".q-card[data-subject='" + subject + "'][data-expect='" + expect + "']";
    }

    @Test
    void c1_aSourcesQualityPageChartsEachExpectationPerWindowMarksFailuresAndShowsTheBreakersReason() {
        // where a person starts: the sources, where payments shows its breaker open
        open("/console/sources");
        WebElement row = browser.findElement(By.xpath("//table[contains(@class,'sources')]//tr[td[1]='payments']"));
        assertThat(row.findElement(By.cssSelector(".breaker")).getText()).isEqualTo("OPEN");
        row.findElement(By.linkText("payments")).click();
        wait.until(d -> path().equals("/console/sources/payments"));
        waitIdle();
        visible("nav.tabs a[data-tab='quality']").click();
        wait.until(d -> path().equals("/console/sources/payments/quality"));
        waitIdle();
        assertNoErrors("quality tab");
        assertThat(visible("nav.tabs a.active").getText()).isEqualTo("Data quality");

        // the breaker, open, with the failed expectation as its reason
        assertThat(visible(".q-breaker .breaker").getText()).isEqualTo("OPEN");
        String reason = h.get("/v1/sources/payments").json().at("/breaker/reason").asText();
        assertThat(reason).contains("expectation not_null on column amount failed");
        assertThat(visible(".q-breaker .breaker-reason").getText()).isEqualTo(reason);
        assertThat(visible(".q-windows").getText()).startsWith(WINDOWS + " judged, 2 with a failure");

        // one chart per judged expectation, a point per window, in the order declared
        assertThat(texts(".q-group[data-subject='amount'] .q-card .q-expect"))
            .containsExactly("not_null", "mean_between", "drift");
        for (String[] c : new String[][] {{"amount", "not_null"}, {"amount", "mean_between"}, {"country", "in_set"},
            {"event_ts", "freshness"}}) {
            String css = card(c[0], c[1]);
            assertThat(browser.findElements(By.cssSelector(css + " svg.quality-chart"))).as(css).hasSize(1);
            assertThat(browser.findElements(By.cssSelector(css + " svg.quality-chart circle.point"))).as(css)
                .hasSize(WINDOWS);
            assertThat(browser.findElements(By.cssSelector(css + " svg.quality-chart polyline.observed"))).as(css)
                .hasSize(1);
        }
        // the failed window is marked where it failed: the last for not_null (block), the fourth for in_set (warn)
        List<WebElement> nn = browser.findElements(By.cssSelector(card("amount", "not_null") + " circle.point"));
        assertThat(nn.stream().map(p -> p.getAttribute("data-success")).toList())
            .containsExactly("true", "true", "true", "true", "false");
        assertThat(nn.get(WINDOWS - 1).getAttribute("class")).contains("point-failed");
        List<JsonNode> api = results("source=payments&column=amount&expect=not_null");
        assertThat(nn.get(WINDOWS - 1).getAttribute("data-end")).isEqualTo(api.get(WINDOWS - 1).get("window_end").asText());
        assertThat(browser.findElements(By.cssSelector(card("country", "in_set") + " circle.point-failed"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector(card("country", "in_set") + " circle.point")).get(WINDOWS - 2)
            .getAttribute("data-success")).isEqualTo("false");
        assertThat(browser.findElements(By.cssSelector(card("amount", "mean_between") + " circle.point-failed"))).isEmpty();

        // threshold, severity, latest result and its detail
        assertThat(visible(card("amount", "not_null") + " .severity").getText()).isEqualTo("block");
        assertThat(visible(card("country", "in_set") + " .severity").getText()).isEqualTo("warn");
        assertThat(texts(card("amount", "not_null") + " text.threshold-label")).containsExactly("mostly 0.99");
        assertThat(texts(card("amount", "mean_between") + " text.threshold-label")).containsExactly("max 60", "min 40");
        assertThat(browser.findElements(By.cssSelector(card("amount", "not_null") + " rect.pass-band"))).hasSize(1);
        assertThat(visible(card("amount", "not_null")).getAttribute("class")).contains("q-failing");
        assertThat(visible(card("amount", "not_null") + " .q-latest").getText()).contains("failed").contains("0.97")
            .contains("30 unexpected of 1000");
        assertThat(visible(card("amount", "not_null") + " .q-detail").getText())
            .isEqualTo(api.get(WINDOWS - 1).get("detail").asText());
        assertThat(visible(card("amount", "not_null") + " .q-count").getText()).isEqualTo(WINDOWS + " windows, 1 failed");
        // drift: no reference stored, so no result, and the page says how to store one
        assertThat(browser.findElements(By.cssSelector(card("amount", "drift") + " svg"))).isEmpty();
        assertThat(visible(card("amount", "drift") + " .q-empty").getText()).contains("payments_ref")
            .contains("POST /v1/quality/references");
        shot("12-source-quality");

        // the page is its URL
        browser.navigate().refresh();
        waitIdle();
        assertThat(browser.findElements(By.cssSelector(card("amount", "not_null") + " circle.point"))).hasSize(WINDOWS);
    }

    @Test
    void c2_aSourceWithoutExpectationsSaysHowToDeclareThemAndOneNotJudgedYetSaysWhatMakesAResult() {
        // from the source's catalog page
        open("/console/source/profiles"); // the demo's orders declare expectations, its profiles none
        visible("a.quality-link").click();
        wait.until(d -> path().equals("/console/sources/profiles/quality"));
        waitIdle();
        assertNoErrors("quality link");
        assertThat(texts("main h2")).contains("No expectations declared");
        assertThat(visible("pre.howto").getText()).contains("- name: profiles").contains("expectations:")
            .contains("expect: not_null");
        assertThat(browser.findElements(By.cssSelector("svg.quality-chart"))).isEmpty();
        assertThat(visible(".q-breaker .breaker").getText()).isEqualTo("CLOSED");
        shot("13-quality-none-declared");

        open("/console/sources");
        browser.findElement(By.xpath("//table[contains(@class,'sources')]//tr[td[1]='refunds']//a[@class='quality-link']"))
            .click();
        wait.until(d -> path().equals("/console/sources/refunds/quality"));
        waitIdle();
        assertThat(visible(".q-none-yet").getText()).contains("No window judged yet").contains("1000 accepted records");
        assertThat(visible(card("amount", "between") + " .q-empty").getText()).contains("No window judged yet");
        assertThat(visible(card("amount", "between") + " .q-rule").getText()).contains("Between 0 and 5000");
        shot("14-quality-not-judged-yet");
    }

    @Test
    void c3_aFeaturePageChartsItsFeaturesResultsAndSaysWhenAnExpectationHasNone() {
        open("/console/feature/payment_risk:last_payment");
        String notNull = card("payment_risk:last_payment", "not_null");
        assertThat(browser.findElements(By.cssSelector(notNull + " svg.quality-chart circle.point"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector(notNull + " circle.point-failed"))).hasSize(1);
        assertThat(visible(notNull + " .q-detail").getText()).isEqualTo("training set churn_train: 99.8% of rows non-null");
        String between = card("payment_risk:last_payment", "between");
        assertThat(visible(between + " .q-empty").getText()).contains("training sets");
        visible(".quality-box a[href='/console/sources/payments/quality']");
        shot("15-feature-quality");

        open("/console/feature/customer_orders:spend_7d");
        assertThat(visible(".quality-box").getText()).contains("No expectations declared for spend_7d");
        assertThat(visible(".quality-box pre.howto").getText()).contains("- name: customer_orders").contains("spend_7d:");
    }
}
