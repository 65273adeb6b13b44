package io.hearth.feedback;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.formats.TrainingFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A service's logs over a time range as a file (Parquet or CSV), one row per logged request and entity, oldest first:
 * {@code request_id}, {@code service}, {@code registry_version}, {@code model}, {@code model_version}, {@code as_of},
 * {@code served_at}, the join keys, then per feature {@code view__feature} (the value), {@code view__feature__status}
 * and {@code view__feature__event_ts}.
 */
public final class LogExport {
    private final FeatureLog log;
    private final Supplier<Definitions> current;

    public LogExport(FeatureLog log, Supplier<Definitions> current) {
        this.log = log;
        this.current = current;
    }

    /** Checks the request before any work; the columns it will have. */
    public LogColumns check(String service, long from, long to) {
        if (from > to) {
            throw new io.hearth.catalog.HearthException(io.hearth.catalog.ErrorCode.INVALID_FIELD, "from", "range.order",
                "from is after to");
        }
        return LogColumns.of(log, current.get(), service, from, to);
    }

    /** Writes the file; returns the rows written. */
    public long write(String service, long from, long to, TrainingFiles.Format format, Path file) throws IOException {
        LogColumns c = check(service, from, to);
        List<String> columns = new ArrayList<>(List.of("request_id", "service", "registry_version", "model",
            "model_version", "as_of", "served_at"));
        List<ColumnType> types = new ArrayList<>(List.of(ColumnType.STRING, ColumnType.STRING, ColumnType.LONG,
            ColumnType.STRING, ColumnType.STRING, ColumnType.TIMESTAMP, ColumnType.TIMESTAMP));
        columns.addAll(c.joinKeys());
        types.addAll(c.keyTypes());
        for (int i = 0; i < c.features().size(); i++) {
            String name = c.features().get(i).columnName();
            columns.add(name);
            types.add(c.featureTypes().get(i));
            columns.add(name + "__status");
            types.add(ColumnType.STRING);
            columns.add(name + "__event_ts");
            types.add(ColumnType.TIMESTAMP);
        }
        long[] rows = new long[1];
        try (TrainingFiles.RowWriter out = TrainingFiles.writer(columns, types, format, file)) {
            log.forEach(service, from, to, l -> {
                for (int e = 0; e < l.entityCount(); e++) {
                    Object[] row = new Object[columns.size()];
                    int p = 0;
                    row[p++] = l.requestId();
                    row[p++] = l.service();
                    row[p++] = l.registryVersion();
                    row[p++] = l.model().orElse(null);
                    row[p++] = l.modelVersion().orElse(null);
                    row[p++] = l.asOf().isPresent() ? (Object) l.asOf().getAsLong() : null;
                    row[p++] = l.servedAt();
                    for (int k = 0; k < c.joinKeys().size(); k++) {
                        int at = l.joinKeys().indexOf(c.joinKeys().get(k));
                        row[p++] = at < 0 ? null : LogColumns.fit(l.keyValues().get(at).get(e), c.keyTypes().get(k));
                    }
                    for (int i = 0; i < c.features().size(); i++) {
                        FeatureRef f = c.features().get(i);
                        int at = l.features().indexOf(f);
                        FeatureValue v = at < 0 ? null : l.values()[at][e];
                        row[p++] = v == null ? null : LogColumns.fit(v.value(), c.featureTypes().get(i));
                        row[p++] = v == null ? null : v.status().name();
                        row[p++] = v == null || !v.hasTime() ? null : (Object) v.eventTs();
                    }
                    try {
                        out.write(row);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                    rows[0]++;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return rows[0];
    }
}
