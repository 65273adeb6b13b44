package io.hearth.formats;

import io.hearth.catalog.ColumnType;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Hands one row, already converted by {@link ParquetOut} to the exact Java type of its Parquet column, to Parquet's
 * record consumer. A {@code null} cell is an absent optional field.
 *
 * <p>The {@code org.apache.hadoop.conf.Configuration} in two signatures below is Parquet's API, not a use of Hadoop:
 * at run time the class comes from parquet-floor's stubs and is never instantiated, because the writer is always
 * given a {@link org.apache.parquet.conf.PlainParquetConfiguration}.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {

    private final MessageType schema;
    private final ColumnType[] types;
    private final String[] names;
    private RecordConsumer consumer;

    RowWriteSupport(MessageType schema, ColumnType[] types) {
        this.schema = schema;
        this.types = types.clone();
        this.names = new String[types.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = schema.getFieldName(i);
        }
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema, Map.of());
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return new WriteContext(schema, Map.of());
    }

    @Override
    public String getName() {
        return "hearth";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
        consumer.startMessage();
        for (int i = 0; i < types.length; i++) {
            Object v = row[i];
            if (v == null) {
                continue;
            }
            consumer.startField(names[i], i);
            switch (types[i]) {
                case STRING -> consumer.addBinary((Binary) v);
                case INT -> consumer.addInteger((Integer) v);
                case LONG, TIMESTAMP -> consumer.addLong((Long) v);
                case FLOAT -> consumer.addFloat((Float) v);
                case DOUBLE -> consumer.addDouble((Double) v);
                case BOOL -> consumer.addBoolean((Boolean) v);
            }
            consumer.endField(names[i], i);
        }
        consumer.endMessage();
    }

    /** parquet-hadoop's builder, which is the only public way to hand a {@link WriteSupport} to a writer. */
    static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final RowWriteSupport support;

        Builder(OutputFile file, RowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }
    }
}
