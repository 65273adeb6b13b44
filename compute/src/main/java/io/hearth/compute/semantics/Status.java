package io.hearth.compute.semantics;

/** Feast's value statuses, with Hearth's reading of OUTSIDE_MAX_AGE (the value is then null). */
public enum Status {
    PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE
}
