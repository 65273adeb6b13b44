package io.hearth.compute.training;

import io.hearth.catalog.HearthException;

/** A spine or training-set request that cannot be joined, found before any work starts. */
public final class SpineException extends HearthException {

    public SpineException(String field, String rule, String message) {
        super(io.hearth.catalog.ErrorCode.TRAINING, field, rule, message);
    }
}
