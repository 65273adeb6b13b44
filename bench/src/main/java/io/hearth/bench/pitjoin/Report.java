package io.hearth.bench.pitjoin;

import java.util.Locale;

/**
 * What the bench prints: every line on stdout (flushed at once, numbers in {@link Locale#ROOT}), and the last one,
 * a JSON object whose keys other people read, so they stay as they are.
 */
final class Report {
    private Report() {
    }

    static void line(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }

    /**
     * The last line. hearth_s, duckdb_s, ratio: the plain join right after the load (second runs); window_ratio,
     * file_ratio: the windows and the Parquet file (collect + write); sql_rows_per_s: the SQL table's second run;
     * bytes_per_event: {@link StorageProbe.Storage#bytesPerEvent}; *_later: the plain join again, after the windows;
     * idle_ratio: the plain join on a quiet node (after a forced checkpoint); streamer_rows_per_s and
     * sql_vs_streamer: the bare data streamer's rows/s on the same rows ({@link StreamerCeiling}) and the SQL
     * table's share of it.
     */
    static void json(Comparison.Compared join, Comparison.Compared windows, Comparison.Compared file,
                     double sqlRowsPerS, double bytesPerEvent, Comparison.Compared joinLater, Comparison.Compared idle,
                     double streamerRowsPerS) {
        line("{\"bench\":\"pit-join\",\"hearth_s\":%.4f,\"duckdb_s\":%.4f,\"ratio\":%.3f,"
                + "\"window_ratio\":%.3f,\"file_ratio\":%.3f,\"sql_rows_per_s\":%.0f,\"bytes_per_event\":%.2f,"
                + "\"hearth_s_later\":%.4f,\"duckdb_s_later\":%.4f,\"ratio_later\":%.3f,\"idle_ratio\":%.3f,"
                + "\"streamer_rows_per_s\":%.0f,\"sql_vs_streamer\":%.3f}",
            join.hearth().second(), join.duck().second(), join.ratio(), windows.ratio(), file.ratio(), sqlRowsPerS,
            bytesPerEvent, joinLater.hearth().second(), joinLater.duck().second(), joinLater.ratio(), idle.ratio(),
            streamerRowsPerS, sqlRowsPerS / streamerRowsPerS);
    }
}
