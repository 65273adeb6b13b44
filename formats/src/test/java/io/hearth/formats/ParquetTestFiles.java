package io.hearth.formats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/** Reading back the Parquet files the tests write: every row through {@link ParquetIn}, or the raw footer. */
final class ParquetTestFiles {
    private ParquetTestFiles() {
    }

    static List<Map<String, Object>> readAll(Path file) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ParquetIn in = new ParquetIn(file)) {
            in.forEachRemaining(rows::add);
        }
        return rows;
    }

    static ParquetFileReader openRaw(Path file) throws IOException {
        return ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions
            .builder(new PlainParquetConfiguration()).withCodecFactory(new PureJavaCodecs()).build());
    }
}
