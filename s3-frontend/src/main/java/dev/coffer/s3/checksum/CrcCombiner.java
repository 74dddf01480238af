package dev.coffer.s3.checksum;

/**
 * Combines CRCs: from crc(A), crc(B) and len(B) alone it gives crc(A || B), which is how a multipart
 * object's FULL_OBJECT checksum is made from its parts without reading the object again.
 *
 * <p>For a reflected CRC whose initial value and final XOR are both all ones (CRC32, CRC32C and
 * CRC64NVME all are), crc(A || B) = crc(A) * x^(8 len(B)) mod P xor crc(B) (Mark Adler's method,
 * as in zlib's crc32_combine). Powers x^(2^k) mod P are tabled once, so a combine costs at most one
 * polynomial multiplication per bit of len(B).
 */
final class CrcCombiner {
    static final CrcCombiner CRC32 = new CrcCombiner(32, 0xedb88320L);
    static final CrcCombiner CRC32C = new CrcCombiner(32, 0x82f63b78L);
    static final CrcCombiner CRC64NVME = new CrcCombiner(64, Crc64Nvme.REFLECTED_POLYNOMIAL);

    /** x^(2^k) for k up to 3 + 63: enough for any byte length a long holds, in bits. */
    private static final int POWERS = 67;

    private final long reflectedPolynomial;
    /** The register bit holding the coefficient of x^0 (the top bit, reflected). */
    private final long one;
    private final long mask;
    private final long[] powersOfTwoPowers = new long[POWERS];

    private CrcCombiner(int widthBits, long reflectedPolynomial) {
        this.reflectedPolynomial = reflectedPolynomial;
        this.one = 1L << (widthBits - 1);
        this.mask = widthBits == 64 ? -1L : (1L << widthBits) - 1;
        long p = one >>> 1; // x^1
        for (int k = 0; k < POWERS; k++) {
            powersOfTwoPowers[k] = p;
            p = multiply(p, p);
        }
    }

    /** crc(A || B) from crc(A), crc(B) and the length of B in bytes. */
    long combine(long crcA, long crcB, long lengthBBytes) {
        if (lengthBBytes < 0) {
            throw new IllegalArgumentException("a length cannot be negative");
        }
        return (multiply(xToThe8n(lengthBBytes), crcA & mask) ^ crcB) & mask;
    }

    /** x^(8n) mod P. */
    private long xToThe8n(long n) {
        long p = one;
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiply(powersOfTwoPowers[k], p);
            }
        }
        return p;
    }

    /** a * b mod P, both reflected. */
    private long multiply(long a, long b) {
        long product = 0;
        for (long m = one; a != 0 && m != 0; m >>>= 1) {
            if ((a & m) != 0) {
                product ^= b;
                a ^= m;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ reflectedPolynomial : b >>> 1;
        }
        return product;
    }
}
