package dev.coffer.s3.engine;

import dev.coffer.auth.store.Codec;
import dev.coffer.auth.store.Table;
import java.util.List;

/** The engine's column families, declared once (docs/formats/s3-engine-v1.md). */
final class EngineTables {
    /** bucket name -> bucket. */
    static final Table<byte[], StoredBucket> BUCKETS = new Table<>("buckets", Codec.bytes(), ValueCodecs.BUCKET);
    /** bucket '/' key -> object. */
    static final Table<byte[], StoredObject> OBJECTS = new Table<>("objects", Codec.bytes(), ValueCodecs.OBJECT);
    /** bucket '/' key 0x00 upload id -> upload. */
    static final Table<byte[], StoredUpload> UPLOADS = new Table<>("uploads", Codec.bytes(), ValueCodecs.UPLOAD);
    /** upload id, part number -> part. */
    static final Table<byte[], StoredPart> PARTS = new Table<>("parts", Codec.bytes(), ValueCodecs.PART);
    /** data id -> inline bytes, raw. */
    static final Table<byte[], byte[]> BLOBS = new Table<>("blobs", Codec.bytes(), Codec.bytes());

    static final List<Table<?, ?>> ALL = List.of(BUCKETS, OBJECTS, UPLOADS, PARTS, BLOBS);

    private EngineTables() {
    }
}
