package io.hearth.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console at {@code /console}: one HTML page for every page path (the script routes on the URL, so that
 * every page can be bookmarked), and its assets under {@code /console/assets/<digest>/}, where the digest is of the
 * assets' bytes. An asset's URL thus changes whenever its content may have, so the assets are cached for a year
 * while the page itself is never cached. Everything is read from this jar once, at mount; the console fetches
 * nothing from the internet and reads the data only through the public HTTP API.
 */
public final class Console {
    /** The path every console page lives under. */
    public static final String PREFIX = "/console";
    /** Every asset, in {@code io/hearth/console/assets/}; ConsoleTest checks this list against the directory. */
    static final List<String> ASSETS = List.of("errors.js", "app.js", "nav.js", "api.js", "dom.js", "search.js", "object.js",
        "lineage.js", "diff.js", "sources.js", "quality.js", "chart.js", "training.js", "console.css");
    private static final String RESOURCES = "io/hearth/console/";
    /** Scripts and styles from this origin only, no inline script: a server string can never run as code. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Map<String, Asset> assets;
    private final String digest;
    private final Buffer page;

    private record Asset(Buffer bytes, String type) {
    }

    private Console() {
        Map<String, Asset> read = new LinkedHashMap<>();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        for (String name : ASSETS) {
            byte[] b = resource("assets/" + name);
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update(b);
            read.put(name, new Asset(Buffer.buffer(b), type(name)));
        }
        this.assets = Map.copyOf(read);
        this.digest = HexFormat.of().formatHex(sha.digest(), 0, 6);
        this.page = Buffer.buffer(new String(resource("index.html"), StandardCharsets.UTF_8)
            .replace("{{assets}}", PREFIX + "/assets/" + digest));
    }

    /**
     * Serves the console on {@code router}: {@code /console} (to the search page), {@code /console/assets/**} and
     * every other {@code /console/**} path as the page. Mount it before a catch-all route, if the router has one.
     */
    public static void mount(Router router) {
        Console c = new Console();
        router.get(PREFIX).handler(ctx -> redirect(ctx, PREFIX + "/search"));
        router.get(PREFIX + "/").handler(ctx -> redirect(ctx, PREFIX + "/search"));
        router.route(PREFIX + "/assets/:digest/:file").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(c::asset);
        router.route(PREFIX + "/assets/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.fail(404));
        router.route(PREFIX + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(c::page);
    }

    /** The digest in the assets' URLs (tests). */
    static String digest() {
        return new Console().digest;
    }

    private void page(RoutingContext ctx) {
        ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
            .putHeader("Content-Security-Policy", CSP)
            .putHeader("X-Content-Type-Options", "nosniff")
            .putHeader("Referrer-Policy", "same-origin")
            .end(page);
    }

    private void asset(RoutingContext ctx) {
        Asset a = assets.get(ctx.pathParam("file"));
        if (a == null) {
            ctx.fail(404);
            return;
        }
        // a page loaded before an upgrade asks for the old digest: it gets today's file, not to be kept
        boolean current = digest.equals(ctx.pathParam("digest"));
        ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, a.type())
            .putHeader(HttpHeaders.CACHE_CONTROL, current ? "public, max-age=31536000, immutable" : "no-cache")
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(a.bytes());
    }

    private static void redirect(RoutingContext ctx, String to) {
        ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, to).end();
    }

    private static String type(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        throw new IllegalArgumentException("no media type known for asset " + name);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("console resource " + RESOURCES + name + " is not in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading console resource " + name, e);
        }
    }
}
