package org.lovoccs.imaging.fits;

import java.util.Arrays;

/**
 * The Rice coding of integer pixels used by FITS tile compression ({@code ZCMPTYPE = 'RICE_1'}), as written by
 * fpack/CFITSIO.
 *
 * <p>A tile is coded as: its first pixel verbatim ({@code bytePix} bytes, big-endian); then, block by block
 * ({@code blockSize} pixels, the last block possibly shorter), a code of {@code fsBits} bits followed by the block's
 * differences between successive pixels, each folded to a non-negative value (0, -1, 1, -2, ... map to 0, 1, 2, 3,
 * ...). Code 0 means every difference of the block is 0 and nothing follows; code {@code fsMax + 1} means the
 * differences follow verbatim in {@code 8 * bytePix} bits; any other code {@code fs + 1} means each difference is
 * split into a high part written in unary ({@code high} zero bits then a one bit) and its {@code fs} low bits. The
 * bit stream is padded with zero bits to a whole byte.
 *
 * <p>Widths per pixel size: 1 byte: fsBits 3, fsMax 6; 2 bytes: fsBits 4, fsMax 14; 4 bytes: fsBits 5, fsMax 25.
 * Differences are taken modulo {@code 2^(8 bytePix)}, so coding is lossless for any pixel value of that width.
 */
public final class RiceCodec {

    /** fpack's block size (ZNAME1 = 'BLOCKSIZE', ZVAL1 = 32). */
    public static final int DEFAULT_BLOCK_SIZE = 32;

    private RiceCodec() {
    }

    private static int fsBits(int bytePix) {
        return switch (bytePix) {
            case 1 -> 3;
            case 2 -> 4;
            case 4 -> 5;
            default -> throw new IllegalArgumentException("BYTEPIX = " + bytePix + ", expected 1, 2 or 4");
        };
    }

    private static int fsMax(int bytePix) {
        return switch (bytePix) {
            case 1 -> 6;
            case 2 -> 14;
            case 4 -> 25;
            default -> throw new IllegalArgumentException("BYTEPIX = " + bytePix + ", expected 1, 2 or 4");
        };
    }

    /**
     * Codes {@code n} pixels of {@code pixels} starting at {@code offset}. Only the low {@code 8 * bytePix} bits of
     * each value are coded (a 16-bit pixel may be given as its signed or its unsigned value alike).
     *
     * @return the coded tile
     */
    public static byte[] encode(int[] pixels, int offset, int n, int bytePix, int blockSize) {
        if (n <= 0) {
            throw new IllegalArgumentException("empty tile");
        }
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        int fsBits = fsBits(bytePix);
        int fsMax = fsMax(bytePix);
        int bBits = 8 * bytePix;
        long mask = bBits == 32 ? 0xFFFF_FFFFL : (1L << bBits) - 1;
        BitWriter out = new BitWriter(bytePix + n * bytePix / 2 + 16);
        long first = pixels[offset] & mask;
        out.write(first, bBits);
        long last = first;
        long[] diff = new long[blockSize];
        for (int start = 0; start < n; start += blockSize) {
            int len = Math.min(blockSize, n - start);
            long sum = 0;
            for (int j = 0; j < len; j++) {
                long next = pixels[offset + start + j] & mask;
                long d = signExtend((next - last) & mask, bBits);
                long z = d < 0 ? ~(d << 1) : d << 1;
                diff[j] = z;
                sum += z;
                last = next;
            }
            // fs from the mean folded difference: about log2(mean / 2)
            double dpsum = (sum - len / 2 - 1) / (double) len;
            long psum = dpsum < 0 ? 0 : ((long) dpsum) >> 1;
            int fs = 0;
            while (psum > 0) {
                psum >>= 1;
                fs++;
            }
            if (fs >= fsMax) {
                out.write(fsMax + 1, fsBits);
                for (int j = 0; j < len; j++) {
                    out.write(diff[j], bBits);
                }
            } else if (fs == 0 && sum == 0) {
                out.write(0, fsBits);
            } else {
                out.write(fs + 1, fsBits);
                long lowMask = (1L << fs) - 1;
                for (int j = 0; j < len; j++) {
                    out.unary(diff[j] >>> fs);
                    if (fs > 0) {
                        out.write(diff[j] & lowMask, fs);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a tile of {@code n} pixels into {@code out[offset..offset+n)}, each as the signed value of its
     * {@code 8 * bytePix} bits (for 16-bit data the FITS stored value before BZERO).
     *
     * @throws FitsFormatException if the coded bytes end early or hold an impossible code
     */
    public static void decode(byte[] src, int srcOffset, int srcLength, int[] out, int offset, int n, int bytePix,
                              int blockSize) throws FitsFormatException {
        if (blockSize <= 0) {
            throw new FitsFormatException("Rice block size " + blockSize);
        }
        int fsBits = fsBits(bytePix);
        int fsMax = fsMax(bytePix);
        int bBits = 8 * bytePix;
        long mask = bBits == 32 ? 0xFFFF_FFFFL : (1L << bBits) - 1;
        BitReader in = new BitReader(src, srcOffset, srcLength);
        long last = in.read(bBits);
        int i = 0;
        while (i < n) {
            int len = Math.min(blockSize, n - i);
            int fs = (int) in.read(fsBits) - 1;
            if (fs < 0) {
                int v = (int) signExtend(last, bBits);
                Arrays.fill(out, offset + i, offset + i + len, v);
                i += len;
                continue;
            }
            if (fs > fsMax) {
                throw new FitsFormatException("Rice block code " + (fs + 1) + " exceeds " + (fsMax + 1));
            }
            for (int j = 0; j < len; j++) {
                long z = fs == fsMax ? in.read(bBits) : (in.unary() << fs) | in.read(fs);
                long d = (z & 1) == 0 ? z >>> 1 : ~(z >>> 1);
                last = (last + d) & mask;
                out[offset + i + j] = (int) signExtend(last, bBits);
            }
            i += len;
        }
    }

    private static long signExtend(long v, int bits) {
        return (v << (64 - bits)) >> (64 - bits);
    }

    private static final class BitWriter {
        private byte[] buf;
        private int pos;
        private long acc;
        private int accBits;

        BitWriter(int capacity) {
            buf = new byte[Math.max(capacity, 16)];
        }

        /**
         * Appends the low {@code bits} bits of {@code value} (bits <= 32), most significant first. The accumulator
         * holds fewer than 32 bits between calls and is emitted 32 bits at a time.
         */
        void write(long value, int bits) {
            acc = (acc << bits) | (value & ((1L << bits) - 1));
            accBits += bits;
            if (accBits >= 32) {
                if (pos + 4 > buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                accBits -= 32;
                int word = (int) (acc >>> accBits);
                buf[pos] = (byte) (word >>> 24);
                buf[pos + 1] = (byte) (word >>> 16);
                buf[pos + 2] = (byte) (word >>> 8);
                buf[pos + 3] = (byte) word;
                pos += 4;
                acc &= (1L << accBits) - 1;
            }
        }

        /** Appends {@code zeros} zero bits and a one bit. */
        void unary(long zeros) {
            while (zeros >= 32) {
                write(0, 32);
                zeros -= 32;
            }
            write(1, (int) zeros + 1);
        }

        byte[] toByteArray() {
            if ((accBits & 7) != 0) {
                write(0, 8 - (accBits & 7));
            }
            // the whole bytes left in the accumulator (fewer than 4)
            byte[] out = Arrays.copyOf(buf, pos + accBits / 8);
            for (int k = 0; accBits > 0; k++) {
                accBits -= 8;
                out[pos + k] = (byte) (acc >>> accBits);
            }
            return out;
        }
    }

    /**
     * Bits most significant first. The accumulator's low {@code accBits} bits are the next bits (those above are
     * stale) and it is refilled 32 bits at a time, byte by byte only in a tile's last 3 bytes.
     */
    private static final class BitReader {
        private final byte[] buf;
        private int pos;
        private final int end;
        private long acc;
        private int accBits;

        BitReader(byte[] buf, int offset, int length) throws FitsFormatException {
            if (offset < 0 || length < 0 || offset + (long) length > buf.length) {
                throw new FitsFormatException("Rice tile at " + offset + " (" + length + " bytes) outside the data");
            }
            this.buf = buf;
            this.pos = offset;
            this.end = offset + length;
        }

        /** Makes at least {@code need} (<= 32) bits available. */
        private void refill(int need) throws FitsFormatException {
            while (accBits < need) {
                if (pos + 4 <= end) {
                    long word = ((buf[pos] & 0xFFL) << 24) | ((buf[pos + 1] & 0xFF) << 16)
                            | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
                    acc = (acc << 32) | word;
                    pos += 4;
                    accBits += 32;
                } else if (pos < end) {
                    acc = (acc << 8) | (buf[pos++] & 0xFF);
                    accBits += 8;
                } else {
                    throw new FitsFormatException("Rice tile ends early");
                }
            }
        }

        /** The next {@code bits} (<= 32) bits as an unsigned value. */
        long read(int bits) throws FitsFormatException {
            if (bits == 0) {
                return 0;
            }
            if (accBits < bits) {
                refill(bits);
            }
            accBits -= bits;
            return (acc >>> accBits) & ((1L << bits) - 1);
        }

        /** Counts zero bits up to and including the next one bit; returns the number of zeros. */
        long unary() throws FitsFormatException {
            long zeros = 0;
            while (true) {
                if (accBits == 0) {
                    refill(1);
                }
                long window = acc & ((1L << accBits) - 1);
                if (window == 0) {
                    zeros += accBits;
                    accBits = 0;
                    continue;
                }
                int lead = Long.numberOfLeadingZeros(window) - (64 - accBits);
                zeros += lead;
                accBits -= lead + 1;
                return zeros;
            }
        }
    }
}
