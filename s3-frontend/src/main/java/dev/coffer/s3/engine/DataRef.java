package dev.coffer.s3.engine;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where one run of stored bytes lives: a blob in the metadata store or a data file, named by a
 * random 16-byte id. Each id is referenced by exactly one object or part record at a time; a
 * completed upload moves its parts' references into the object record instead of copying bytes.
 */
record DataRef(Location location, byte[] id, long length) {
    static final int ID_BYTES = 16;

    /** The stored codes are part of the v1 format. */
    enum Location {
        INLINE(1), FILE(2);

        final int code;

        Location(int code) {
            this.code = code;
        }

        static Location ofCode(int code) {
            for (Location l : values()) {
                if (l.code == code) {
                    return l;
                }
            }
            throw new EngineException(EngineException.Kind.CORRUPT, "unknown data location code " + code);
        }
    }

    DataRef {
        Objects.requireNonNull(location, "location");
        if (id.length != ID_BYTES || length < 0) {
            throw new IllegalArgumentException("a data reference needs a " + ID_BYTES + "-byte id and a length >= 0");
        }
        id = id.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    /** The data file's name under the data directory (only meaningful for {@link Location#FILE}). */
    String fileName() {
        return fileName(id);
    }

    static String fileName(byte[] id) {
        return HexFormat.of().formatHex(id) + DataFiles.SUFFIX;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataRef other && location == other.location && length == other.length && Arrays.equals(id, other.id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "DataRef[" + location + " " + HexFormat.of().formatHex(id) + ", " + length + " bytes]";
    }
}
