package io.hearth.security.limits;

import io.hearth.security.keys.Rate;

/** Decides whether a key's next request is within its rate. */
public interface RateLimiter {
    /** Admits one request of {@code keyId} at {@code rate}: 0 when admitted, else the nanoseconds until one would be. */
    long tryAcquire(String keyId, Rate rate);
}
