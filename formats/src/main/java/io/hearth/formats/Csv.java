package io.hearth.formats;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * CSV as Hearth reads and writes it, in one place for every path (file back-fill, HTTP bodies, spines, training
 * files). RFC 4180 with a header row; an unquoted empty cell is null, a quoted empty cell {@code ""} is the empty
 * string (the rule of PostgreSQL's {@code COPY ... CSV} and DuckDB, and how pandas and Spark read nulls). Writing
 * keeps the distinction: null is an empty cell, the empty string is {@code ""}.
 */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper();
    private static final ObjectReader ROWS = MAPPER.readerFor(String[].class)
        .with(CsvParser.Feature.WRAP_AS_ARRAY)
        .with(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL);

    private Csv() {
    }

    /** Rows as arrays of cells (null for an unquoted empty cell), the header being the first. */
    public static MappingIterator<String[]> rows(Reader in) {
        try {
            return ROWS.readValues(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #rows(Reader)} over bytes in UTF-8. */
    public static MappingIterator<String[]> rows(byte[] utf8) {
        try {
            return ROWS.readValues(utf8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why CSV could not be read, in words for the person who wrote it: the parser's own message without the
     * Java types it adds ("through reference chain: ...").
     */
    public static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.CharConversionException) {
                return "the text is not UTF-8";
            }
            if (c instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
                String m = String.valueOf(j.getOriginalMessage());
                if (m.startsWith("Invalid UTF-8") || m.contains("does not look like UTF-8")) {
                    return "the text is not UTF-8" + (j.getLocation() == null ? "" : " (line "
                        + j.getLocation().getLineNr() + ")");
                }
                int cut = m.indexOf(" (through reference chain");
                return (cut < 0 ? m : m.substring(0, cut)).split("\n")[0]
                    + (j.getLocation() == null ? "" : " (line " + j.getLocation().getLineNr() + ")");
            }
        }
        return String.valueOf(t.getMessage()).split("\n")[0];
    }

    /** Appends one cell: nothing for null, {@code ""} for the empty string, quoted when it must be. */
    public static void cell(Writer w, String s) throws IOException {
        if (s == null) {
            return;
        }
        if (s.isEmpty()) {
            w.write("\"\"");
            return;
        }
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        // Leading or trailing spaces are kept by the rule above; quoting them too tells every reader they are data.
        quote |= s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ';
        if (!quote) {
            w.write(s);
            return;
        }
        w.write('"');
        w.write(s.replace("\"", "\"\""));
        w.write('"');
    }
}
