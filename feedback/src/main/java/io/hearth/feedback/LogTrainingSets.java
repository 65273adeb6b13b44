package io.hearth.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.HearthException;
import io.hearth.formats.TrainingFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Training sets from what was served: one row per logged request of a service (per entity, when a request asked for
 * several) that has an outcome of the label, with the columns {@code request_id}, the join keys, {@code served_at},
 * the logged values ({@code view__feature}, as served, not recomputed) and the label (a column named as the label).
 * An outcome whose {@code outcome_ts} is not after the served time is left out and counted: it was known when the
 * lookup ran, and training on it would leak the label into the features.
 */
public final class LogTrainingSets {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 512;

    /** What to build: the logs of {@code service} served from {@code from} to {@code to} (inclusive), labelled {@code label}. */
    public record Request(String service, String label, long from, long to) {
    }

    /**
     * What was built: {@code rows} written from {@code labeled} requests of the {@code requests} logged in the range;
     * {@code leakage} requests left out because their outcome was known at serving time; {@code unlabeled} without an
     * outcome of the label (yet).
     */
    public record Result(long rows, long requests, long labeled, long leakage, long unlabeled, List<String> columns,
                         List<ColumnType> types) {
    }

    private final FeatureLog log;
    private final Outcomes outcomes;
    private final Supplier<Definitions> current;

    public LogTrainingSets(FeatureLog log, Outcomes outcomes, Supplier<Definitions> current) {
        this.log = log;
        this.outcomes = outcomes;
        this.current = current;
    }

    /** Checks a request before any work: the label's spelling, and that it names no other column. */
    public LogColumns check(Request r) {
        if (!Outcome.LABEL.matcher(r.label()).matches()) {
            throw new HearthException(ErrorCode.INVALID_FIELD, "label", "label.syntax", "a label is a letter or _, then "
                + "up to 63 letters, digits or _, got '" + (r.label().length() > 80 ? r.label().substring(0, 77) + "..."
                : r.label()) + "'");
        }
        if (r.from() > r.to()) {
            throw new HearthException(ErrorCode.INVALID_FIELD, "from", "range.order", "from is after to");
        }
        LogColumns c = LogColumns.of(log, current.get(), r.service(), r.from(), r.to());
        Set<String> taken = new HashSet<>(List.of("request_id", "served_at"));
        taken.addAll(c.joinKeys());
        c.features().forEach(f -> taken.add(f.columnName()));
        if (taken.contains(r.label())) {
            throw new HearthException(ErrorCode.INVALID_FIELD, "label", "label.column", "label '" + r.label()
                + "' would be a second column of that name (request_id, served_at, the join keys and the features "
                + "are columns of the set)");
        }
        return c;
    }

    /** Builds the set into {@code file}; {@code done} counts the logs read so far. */
    public Result write(Request r, TrainingFiles.Format format, Path file, AtomicLong done) throws IOException {
        LogColumns c = check(r);
        List<String> columns = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        columns.add("request_id");
        types.add(ColumnType.STRING);
        columns.addAll(c.joinKeys());
        types.addAll(c.keyTypes());
        columns.add("served_at");
        types.add(ColumnType.TIMESTAMP);
        c.features().forEach(f -> columns.add(f.columnName()));
        types.addAll(c.featureTypes());
        columns.add(r.label());
        ColumnType labelType = labelType(outcomes.values(r.label()));
        types.add(labelType);
        long[] counts = new long[5]; // rows, requests, labeled, leakage, unlabeled
        try (TrainingFiles.RowWriter out = TrainingFiles.writer(columns, types, format, file)) {
            List<LogRecord> chunk = new ArrayList<>(CHUNK);
            try {
                log.forEach(r.service(), r.from(), r.to(), l -> {
                    chunk.add(l);
                    if (chunk.size() == CHUNK) {
                        writeChunk(chunk, r.label(), labelType, c, out, counts);
                        done.addAndGet(chunk.size());
                        chunk.clear();
                    }
                });
                writeChunk(chunk, r.label(), labelType, c, out, counts);
                done.addAndGet(chunk.size());
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return new Result(counts[0], counts[1], counts[2], counts[3], counts[4], columns, types);
    }

    private void writeChunk(List<LogRecord> chunk, String label, ColumnType labelType, LogColumns c,
                            TrainingFiles.RowWriter out, long[] counts) {
        if (chunk.isEmpty()) {
            return;
        }
        Map<String, Outcome> found = outcomes.of(chunk.stream().map(LogRecord::requestId).toList(), label);
        for (LogRecord l : chunk) {
            counts[1]++;
            Outcome o = found.get(l.requestId());
            if (o == null) {
                counts[4]++;
                continue;
            }
            if (o.outcomeTs() <= l.servedAt()) {
                counts[3]++;
                continue;
            }
            counts[2]++;
            Object labelValue = labelValue(o.valueJson(), labelType);
            int[] featureAt = new int[c.features().size()];
            for (int i = 0; i < featureAt.length; i++) {
                featureAt[i] = l.features().indexOf(c.features().get(i));
            }
            for (int e = 0; e < l.entityCount(); e++) {
                Object[] row = new Object[3 + c.joinKeys().size() + c.features().size()];
                int p = 0;
                row[p++] = l.requestId();
                for (int k = 0; k < c.joinKeys().size(); k++) {
                    int at = l.joinKeys().indexOf(c.joinKeys().get(k));
                    row[p++] = at < 0 ? null : LogColumns.fit(l.keyValues().get(at).get(e), c.keyTypes().get(k));
                }
                row[p++] = l.servedAt();
                for (int i = 0; i < featureAt.length; i++) {
                    row[p++] = featureAt[i] < 0 ? null
                        : LogColumns.fit(l.values()[featureAt[i]][e].value(), c.featureTypes().get(i));
                }
                row[p] = labelValue;
                try {
                    out.write(row);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                counts[0]++;
            }
        }
    }

    /** The narrowest type every value of a label fits: long, double, bool, else text. */
    static ColumnType labelType(List<String> valuesJson) {
        boolean longs = true;
        boolean numbers = true;
        boolean bools = true;
        for (String v : valuesJson) {
            JsonNode n = parse(v);
            longs &= n.isIntegralNumber();
            numbers &= n.isNumber();
            bools &= n.isBoolean();
        }
        return valuesJson.isEmpty() ? ColumnType.STRING : longs ? ColumnType.LONG : numbers ? ColumnType.DOUBLE
            : bools ? ColumnType.BOOL : ColumnType.STRING;
    }

    static Object labelValue(String json, ColumnType type) {
        JsonNode n = parse(json);
        return switch (type) {
            case LONG -> n.asLong();
            case DOUBLE -> n.asDouble();
            case BOOL -> n.asBoolean();
            default -> n.isTextual() ? n.asText() : n.toString();
        };
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored outcome value is not JSON: " + json, e);
        }
    }
}
