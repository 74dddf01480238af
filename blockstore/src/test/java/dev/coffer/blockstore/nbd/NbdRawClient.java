package dev.coffer.blockstore.nbd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.BufferedOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A hand-written NBD client for what real clients never send: malformed and out-of-range requests. */
final class NbdRawClient implements AutoCloseable {
    static final int READ = 0;
    static final int WRITE = 1;
    static final int DISC = 2;
    static final int FLUSH = 3;

    record OptionReply(int option, int type, byte[] data) {
    }

    record Reply(int error, long cookie) {
    }

    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;

    NbdRawClient(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        if (in.readLong() != NbdWire.NBDMAGIC || in.readLong() != NbdWire.IHAVEOPT) {
            throw new IOException("not an NBD server");
        }
        in.readUnsignedShort();
        out.writeInt(NbdWire.CLIENT_FLAG_FIXED_NEWSTYLE | NbdWire.CLIENT_FLAG_NO_ZEROES);
        out.flush();
    }

    /** Connects and enters transmission on {@code name}; returns the export size. */
    static NbdRawClient connect(InetSocketAddress address, String name) throws IOException {
        NbdRawClient client = new NbdRawClient(address);
        client.sendGo(name);
        while (true) {
            OptionReply reply = client.readOptionReply();
            if (reply.type() == NbdWire.REP_ACK) {
                return client;
            }
            if (reply.type() != NbdWire.REP_INFO) {
                client.close();
                throw new IOException("GO failed with reply type " + Integer.toHexString(reply.type()));
            }
        }
    }

    void sendOption(int option, byte[] data) throws IOException {
        out.writeLong(NbdWire.IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    void sendGo(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        var data = new java.io.ByteArrayOutputStream();
        var d = new DataOutputStream(data);
        d.writeInt(nameBytes.length);
        d.write(nameBytes);
        d.writeShort(1);
        d.writeShort(NbdWire.INFO_BLOCK_SIZE);
        sendOption(7, data.toByteArray());
    }

    OptionReply readOptionReply() throws IOException {
        if (in.readLong() != NbdWire.OPTION_REPLY_MAGIC) {
            throw new IOException("bad option reply magic");
        }
        int option = in.readInt();
        int type = in.readInt();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new OptionReply(option, type, data);
    }

    void sendRequest(int flags, int type, long cookie, long offset, long length) throws IOException {
        out.writeInt(NbdWire.REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt((int) length);
    }

    void write(long cookie, long offset, byte[] data) throws IOException {
        sendRequest(0, WRITE, cookie, offset, data.length);
        out.write(data);
        out.flush();
    }

    void read(long cookie, long offset, int length) throws IOException {
        sendRequest(0, READ, cookie, offset, length);
        out.flush();
    }

    Reply readReply() throws IOException {
        int magic = in.readInt();
        if (magic != NbdWire.SIMPLE_REPLY_MAGIC) {
            throw new IOException("bad reply magic " + Integer.toHexString(magic));
        }
        return new Reply(in.readInt(), in.readLong());
    }

    byte[] readData(int length) throws IOException {
        byte[] data = new byte[length];
        in.readFully(data);
        return data;
    }

    /** True if the server closed the connection: the next read sees end of stream. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
