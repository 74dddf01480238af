package dev.coffer.s3.engine;

import dev.coffer.auth.store.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The v1 encoding of the four metadata values (docs/formats/s3-engine-v1.md). Every value is
 * framed as version, type, payload, CRC32C: a reader refuses an unknown version, a value of another
 * type, and any changed byte, as CORRUPT.
 */
final class ValueCodecs {
    static final int VERSION = 1;
    static final int TYPE_BUCKET = 1;
    static final int TYPE_OBJECT = 2;
    static final int TYPE_UPLOAD = 3;
    static final int TYPE_PART = 4;
    private static final int FRAME_BYTES = 2 + 4;

    static final Codec<StoredBucket> BUCKET = codec(TYPE_BUCKET,
            (b, out) -> out.string(b.ownerAccountId()).string(b.region()).instant(b.createdAt()).map(b.configurations()),
            in -> new StoredBucket(in.string(), in.string(), in.instant(), in.map()));

    static final Codec<StoredObject> OBJECT = codec(TYPE_OBJECT, ValueCodecs::writeObject, ValueCodecs::readObject);

    static final Codec<StoredUpload> UPLOAD = codec(TYPE_UPLOAD,
            (u, out) -> writeAttributes(out.instant(u.initiated()), u.attributes()),
            in -> new StoredUpload(in.instant(), readAttributes(in)));

    static final Codec<StoredPart> PART = codec(TYPE_PART,
            (p, out) -> out.i64(p.size()).string(p.etag()).instant(p.lastModified()).map(p.checksums()).dataRef(p.data()),
            in -> new StoredPart(in.i64(), in.string(), in.instant(), in.map(), in.dataRef()));

    private ValueCodecs() {
    }

    /** version || type || payload || CRC32C(version || type || payload), the CRC big-endian. */
    static byte[] frame(int version, int type, byte[] payload) {
        BinaryOut out = new BinaryOut().u8(version).u8(type).raw(payload);
        byte[] unsealed = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(unsealed);
        return out.u32((int) crc.getValue()).toByteArray();
    }

    private static BinaryIn unframe(int type, byte[] value) {
        if (value.length < FRAME_BYTES) {
            throw BinaryIn.corrupt("shorter than its frame");
        }
        int body = value.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(value, 0, body);
        if ((int) crc.getValue() != new BinaryIn(value, body, 4).u32()) {
            throw BinaryIn.corrupt("checksum mismatch");
        }
        if ((value[0] & 0xff) != VERSION) {
            throw BinaryIn.corrupt("unknown version " + (value[0] & 0xff));
        }
        if ((value[1] & 0xff) != type) {
            throw BinaryIn.corrupt("value of type " + (value[1] & 0xff) + " where type " + type + " belongs");
        }
        return new BinaryIn(value, 2, body - 2);
    }

    private static <T> Codec<T> codec(int type, BiConsumer<T, BinaryOut> write, Function<BinaryIn, T> read) {
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                BinaryOut out = new BinaryOut();
                write.accept(value, out);
                return frame(VERSION, type, out.toByteArray());
            }

            @Override
            public T decode(byte[] bytes) {
                BinaryIn in = unframe(type, bytes);
                T value = read.apply(in);
                in.expectEnd();
                return value;
            }
        };
    }

    private static void writeObject(StoredObject o, BinaryOut out) {
        out.i64(o.size()).string(o.etag()).instant(o.lastModified());
        writeAttributes(out, o.attributes());
        out.u32(o.parts().size());
        for (PartInfo p : o.parts()) {
            out.u32(p.partNumber()).i64(p.size()).string(p.etag()).map(p.checksums());
        }
        out.u32(o.data().size());
        o.data().forEach(out::dataRef);
    }

    private static StoredObject readObject(BinaryIn in) {
        long size = in.i64();
        String etag = in.string();
        var lastModified = in.instant();
        ObjectAttributes attributes = readAttributes(in);
        int partCount = in.count(4 + 8 + 4 + 4);
        List<PartInfo> parts = new ArrayList<>(partCount);
        for (int i = 0; i < partCount; i++) {
            parts.add(new PartInfo(in.u32(), in.i64(), in.string(), in.map()));
        }
        int dataCount = in.count(1 + DataRef.ID_BYTES + 8);
        List<DataRef> data = new ArrayList<>(dataCount);
        for (int i = 0; i < dataCount; i++) {
            data.add(in.dataRef());
        }
        return new StoredObject(size, etag, lastModified, attributes, parts, data);
    }

    private static BinaryOut writeAttributes(BinaryOut out, ObjectAttributes a) {
        return out.optionalString(a.contentType()).map(a.headers()).map(a.userMetadata()).map(a.checksums())
                .optionalString(a.checksumType()).optionalString(a.ownerAccountId()).optionalBytes(a.envelope());
    }

    private static ObjectAttributes readAttributes(BinaryIn in) {
        return new ObjectAttributes(in.optionalString(), in.map(), in.map(), in.map(), in.optionalString(),
                in.optionalString(), in.optionalBytes());
    }
}
