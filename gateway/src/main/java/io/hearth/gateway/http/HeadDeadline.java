package io.hearth.gateway.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slowloris defence: a request's head (request line and headers) must be complete within {@code timeout} of its
 * first byte, and a new connection's first head within {@code timeout} of the connection's opening. A client
 * trickling a header a byte at a time is never idle, so the idle timeout alone would never close it. An idle
 * keep-alive connection (no byte since its last answer) is left to the idle timeout, as nginx leaves it to
 * {@code keepalive_timeout}: closing it sooner races with clients that reuse it at that moment. Bytes that arrive
 * while a request is in flight are its body, timed by the idle timeout only.
 *
 * <p>Knowing when bytes arrive takes a handler on the connection's Netty channel (reached through Vert.x's
 * {@code ConnectionBase}, pinned with Vert.x; {@code AbuseLimitsIT} fails if that changes). One timer per connection,
 * fired every half timeout; per read one field write.
 */
public final class HeadDeadline {
    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadline.class);

    private final Vertx vertx;
    private final long timeoutNanos;
    private final ConcurrentHashMap<HttpConnection, State> connections = new ConcurrentHashMap<>();
    private volatile boolean warned;

    /** Touched on the connection's event loop only. */
    private static final class State {
        HttpServerRequest current;
        /** When the head being awaited started (its first byte, or the connection's opening); -1 when none is. */
        long headSince;
    }

    public HeadDeadline(Vertx vertx, long timeoutMillis) {
        this.vertx = vertx;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    /** The server's connection handler (on the connection's event loop, as it opens: h2c must be off). */
    public void opened(HttpConnection c) {
        Channel channel = c instanceof io.vertx.core.net.impl.ConnectionBase cb ? cb.channel() : null;
        if (channel == null) {
            if (!warned) {
                warned = true;
                LOG.warn("Cannot time request heads on {} connections: slow clients are closed by the idle timeout only",
                    c.getClass().getName());
            }
            return;
        }
        State s = new State();
        s.headSince = System.nanoTime();
        connections.put(c, s);
        c.closeHandler(v -> connections.remove(c));
        channel.pipeline().addFirst("hearth-head-deadline", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (s.headSince < 0 && (s.current == null || s.current.response().ended())) {
                    s.headSince = System.nanoTime(); // the first byte of the next head
                }
                ctx.fireChannelRead(msg);
            }
        });
        schedule(c, s);
    }

    /** Called with every request whose head is complete, before it is routed. */
    public void headReceived(HttpServerRequest r) {
        State s = connections.get(r.connection());
        if (s != null) {
            s.current = r;
            s.headSince = -1;
        }
    }

    private void schedule(HttpConnection c, State s) {
        vertx.setTimer(Math.max(1, timeoutNanos / 2_000_000L), id -> check(c, s));
    }

    private void check(HttpConnection c, State s) {
        if (!connections.containsKey(c)) {
            return;
        }
        if (s.headSince >= 0 && System.nanoTime() - s.headSince > timeoutNanos) {
            c.close(); // a head that did not arrive in time: slowloris, or a connection that never asked anything
            return;
        }
        schedule(c, s);
    }
}
