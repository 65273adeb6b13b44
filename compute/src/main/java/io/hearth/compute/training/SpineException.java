package io.hearth.compute.training;

import io.hearth.catalog.HearthException;

/** A spine or extract request that cannot be joined, found before any work starts. */
public final class SpineException extends HearthException {
    public static final String CODE = "HEARTH-TRAIN-1";

    public SpineException(String field, String rule, String message) {
        super(CODE, field, rule, message);
    }
}
