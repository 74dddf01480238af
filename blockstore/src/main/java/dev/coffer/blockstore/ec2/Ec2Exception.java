package dev.coffer.blockstore.ec2;

import java.util.Objects;

/** An EC2 request failed with an EC2 error; the message is what the client sees, never a secret. */
public final class Ec2Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Ec2Error error;

    public Ec2Exception(Ec2Error error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public Ec2Error error() {
        return error;
    }
}
