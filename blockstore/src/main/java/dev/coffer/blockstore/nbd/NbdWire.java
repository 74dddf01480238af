package dev.coffer.blockstore.nbd;

/**
 * The protocol's numbers (doc/proto.md of NetworkBlockDevice/nbd), and the limits this server puts
 * on what a client may send. Everything on the wire is big-endian.
 */
final class NbdWire {
    private NbdWire() {
    }

    // Handshake
    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454F5054L;
    static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;

    static final int FLAG_FIXED_NEWSTYLE = 1;
    static final int FLAG_NO_ZEROES = 1 << 1;
    static final int HANDSHAKE_FLAGS = FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES;
    static final int CLIENT_FLAG_FIXED_NEWSTYLE = 1;
    static final int CLIENT_FLAG_NO_ZEROES = 1 << 1;
    static final int KNOWN_CLIENT_FLAGS = CLIENT_FLAG_FIXED_NEWSTYLE | CLIENT_FLAG_NO_ZEROES;

    /** The zeroes after an NBD_OPT_EXPORT_NAME reply unless the client negotiated NO_ZEROES. */
    static final int EXPORT_NAME_ZEROES = 124;

    // Option reply types
    static final int REP_ACK = 1;
    static final int REP_SERVER = 2;
    static final int REP_INFO = 3;
    static final int REP_ERR_UNSUP = 0x80000000 | 1;
    static final int REP_ERR_INVALID = 0x80000000 | 3;
    static final int REP_ERR_UNKNOWN = 0x80000000 | 6;
    static final int REP_ERR_SHUTDOWN = 0x80000000 | 7;

    // Information types in NBD_REP_INFO
    static final int INFO_EXPORT = 0;
    static final int INFO_NAME = 1;
    static final int INFO_DESCRIPTION = 2;
    static final int INFO_BLOCK_SIZE = 3;

    // Transmission flags
    static final int TFLAG_HAS_FLAGS = 1;
    static final int TFLAG_SEND_FLUSH = 1 << 2;
    static final int TFLAG_SEND_FUA = 1 << 3;
    static final int TFLAG_SEND_TRIM = 1 << 5;
    static final int TFLAG_SEND_WRITE_ZEROES = 1 << 6;
    static final int TFLAG_CAN_MULTI_CONN = 1 << 8;
    /**
     * What every export offers. CAN_MULTI_CONN is safe because {@code BlockDevice.flush} makes every
     * write completed before it durable, whichever connection made it, and a completed write is
     * visible to reads on every connection (the BlockDevice contract).
     */
    static final int TRANSMISSION_FLAGS = TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM
            | TFLAG_SEND_WRITE_ZEROES | TFLAG_CAN_MULTI_CONN;

    // Transmission
    static final int REQUEST_MAGIC = 0x25609513;
    static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    static final int REQUEST_HEADER_BYTES = 28;
    static final int SIMPLE_REPLY_HEADER_BYTES = 16;

    static final int CMD_FLAG_FUA = 1;
    static final int CMD_FLAG_NO_HOLE = 1 << 1;

    // Limits
    /** The minimum block size advertised: any byte range works, the device does read-modify-write. */
    static final int MIN_BLOCK_BYTES = 1;
    /** The largest READ or WRITE payload (2^25, the size every client stays within). */
    static final int MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
    /** Names and descriptions are at most 4096 bytes (proto.md "Conventions"). */
    static final int MAX_STRING_BYTES = 4096;
    /**
     * The largest option a client may send: a name, plus a generous list of information requests.
     * Anything longer is not a client we know, and the connection is closed rather than read.
     */
    static final int MAX_OPTION_BYTES = MAX_STRING_BYTES + 4 + 2 + 2 * 1024;
}
