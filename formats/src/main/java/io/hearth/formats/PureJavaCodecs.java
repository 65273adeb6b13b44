package io.hearth.formats;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Page compression for Parquet without Hadoop and without native code: Snappy, ZSTD and LZ4_RAW come from
 * aircompressor's pure-Java implementations, GZIP from {@code java.util.zip}.
 *
 * <p>parquet-hadoop's own {@code CodecFactory} goes through Hadoop's codec classes (and snappy-java / zstd-jni, which
 * unpack native libraries at run time); this factory replaces it for both writing and reading. LZO, BROTLI and the
 * Hadoop-framed LZ4 codec are not supported: {@link #SUPPORTED} lists what is.
 *
 * <p>Instances are cheap. Compressors and decompressors keep a reusable buffer, so, as the interface says, each is
 * for one thread.
 */
final class PureJavaCodecs implements CompressionCodecFactory {

    /** The codecs this factory compresses and decompresses. */
    static final Set<CompressionCodecName> SUPPORTED = EnumSet.of(
            CompressionCodecName.UNCOMPRESSED,
            CompressionCodecName.SNAPPY,
            CompressionCodecName.ZSTD,
            CompressionCodecName.GZIP,
            CompressionCodecName.LZ4_RAW);

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Passthrough(codec);
            case SNAPPY -> new BlockCompressor(codec, new SnappyCompressor());
            case ZSTD -> new BlockCompressor(codec, new ZstdCompressor());
            case LZ4_RAW -> new BlockCompressor(codec, new Lz4Compressor());
            case GZIP -> new GzipCompressor();
            default -> throw unsupported(codec);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> new Passthrough(codec);
            case SNAPPY -> new BlockDecompressor(codec, new SnappyDecompressor());
            case ZSTD -> new BlockDecompressor(codec, new ZstdDecompressor());
            case LZ4_RAW -> new BlockDecompressor(codec, new Lz4Decompressor());
            case GZIP -> new GzipDecompressor();
            default -> throw unsupported(codec);
        };
    }

    @Override
    public void release() {
        // Nothing pooled, nothing native.
    }

    private static UnsupportedOperationException unsupported(CompressionCodecName codec) {
        return new UnsupportedOperationException("Parquet compression codec " + codec + " is not supported (supported: "
                + SUPPORTED + ")");
    }

    private static final class Passthrough implements BytesInputCompressor, BytesInputDecompressor {
        private final CompressionCodecName codec;

        Passthrough(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput compress(BytesInput bytes) {
            return bytes;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) {
            return bytes;
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            if (compressedSize != decompressedSize) {
                throw new IOException("uncompressed page: " + compressedSize + " bytes stored, " + decompressedSize
                        + " expected");
            }
            ByteBuffer slice = input.slice();
            slice.limit(compressedSize);
            output.put(slice);
            input.position(input.position() + compressedSize);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
        }
    }

    /** Block codecs (one compressed block per page), as Parquet stores Snappy, ZSTD frames and LZ4_RAW. */
    private static final class BlockCompressor implements BytesInputCompressor {
        private final CompressionCodecName codec;
        private final Compressor compressor;
        private byte[] out = new byte[0];

        BlockCompressor(CompressionCodecName codec, Compressor compressor) {
            this.codec = codec;
            this.compressor = compressor;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            byte[] in = bytes.toByteArray();
            int max = compressor.maxCompressedLength(in.length);
            if (out.length < max) {
                out = new byte[max];
            }
            int n = compressor.compress(in, 0, in.length, out, 0, out.length);
            // The caller consumes the result before the next compress() call, so the buffer can be reused.
            return BytesInput.from(out, 0, n);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
            out = new byte[0];
        }
    }

    private static final class BlockDecompressor implements BytesInputDecompressor {
        private final CompressionCodecName codec;
        private final Decompressor decompressor;

        BlockDecompressor(CompressionCodecName codec, Decompressor decompressor) {
            this.codec = codec;
            this.decompressor = decompressor;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            byte[] in = bytes.toByteArray();
            return BytesInput.from(decompress(in, 0, in.length, decompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompress(in, 0, compressedSize, decompressedSize));
        }

        private byte[] decompress(byte[] in, int offset, int length, int decompressedSize) throws IOException {
            byte[] out = new byte[decompressedSize];
            int n;
            try {
                n = decompressor.decompress(in, offset, length, out, 0, decompressedSize);
            } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IOException("corrupt " + codec + " page: " + e.getMessage(), e);
            }
            if (n != decompressedSize) {
                throw new IOException("corrupt " + codec + " page: " + n + " bytes decompressed, " + decompressedSize
                        + " expected");
            }
            return out;
        }

        @Override
        public void release() {
        }
    }

    private static final class GzipCompressor implements BytesInputCompressor {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            out.reset();
            try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
                bytes.writeAllTo(gz);
            }
            return BytesInput.from(out);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.GZIP;
        }

        @Override
        public void release() {
        }
    }

    private static final class GzipDecompressor implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
            return BytesInput.from(inflate(bytes.toInputStream(), decompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(inflate(BytesInput.from(in).toInputStream(), decompressedSize));
        }

        private static byte[] inflate(InputStream compressed, int decompressedSize) throws IOException {
            byte[] out = new byte[decompressedSize];
            try (GZIPInputStream gz = new GZIPInputStream(compressed, 64 * 1024)) {
                int n = gz.readNBytes(out, 0, decompressedSize);
                if (n != decompressedSize || gz.read() != -1) {
                    throw new IOException("corrupt GZIP page: size differs from the " + decompressedSize
                            + " bytes expected");
                }
            }
            return out;
        }

        @Override
        public void release() {
        }
    }
}
