package dev.coffer.blockstore.ec2;

import java.util.Locale;
import java.util.Optional;

/**
 * The EBS volume types, with the size, IOPS and throughput ranges EC2 enforces for each. Coffer
 * stores every type the same way; the type and its performance settings are kept and reported so
 * that tools written for EBS see what they asked for.
 */
enum Ec2VolumeType {
    STANDARD(1, 1024, 0, 0, 0, 0),
    GP2(1, 16_384, 0, 0, 0, 0),
    GP3(1, 16_384, 3000, 16_000, 125, 1000),
    IO1(4, 16_384, 100, 64_000, 0, 0),
    IO2(4, 65_536, 100, 256_000, 0, 0),
    ST1(125, 16_384, 0, 0, 0, 0),
    SC1(125, 16_384, 0, 0, 0, 0);

    private final int minGiB;
    private final int maxGiB;
    private final int minIops;
    private final int maxIops;
    private final int minThroughput;
    private final int maxThroughput;

    Ec2VolumeType(int minGiB, int maxGiB, int minIops, int maxIops, int minThroughput, int maxThroughput) {
        this.minGiB = minGiB;
        this.maxGiB = maxGiB;
        this.minIops = minIops;
        this.maxIops = maxIops;
        this.minThroughput = minThroughput;
        this.maxThroughput = maxThroughput;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Ec2VolumeType of(String wireName) {
        for (Ec2VolumeType t : values()) {
            if (t.wireName().equals(wireName)) {
                return t;
            }
        }
        throw Ec2Parameters.invalid("volumeType", wireName, "Valid volume types are standard, io1, io2, gp2, sc1, st1 and gp3.");
    }

    /** The settings a volume of this type and size gets: validated, defaults filled in. */
    record Performance(Integer iops, Integer throughput) {}

    Performance check(int sizeGiB, Optional<Integer> iops, Optional<Integer> throughput) {
        if (sizeGiB < minGiB || sizeGiB > maxGiB) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Volume of " + sizeGiB + "GiB is out of range for volume type "
                    + wireName() + ": the size must be from " + minGiB + " to " + maxGiB + " GiB.");
        }
        if (iops.isPresent() && maxIops == 0) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_COMBINATION,
                    "The parameter iops is not supported for " + wireName() + " volumes.");
        }
        if (throughput.isPresent() && maxThroughput == 0) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_COMBINATION,
                    "The parameter throughput is not supported for " + wireName() + " volumes.");
        }
        if ((this == IO1 || this == IO2) && iops.isEmpty()) {
            throw new Ec2Exception(Ec2Error.MISSING_PARAMETER, "The parameter iops must be specified for " + wireName() + " volumes.");
        }
        Integer resolvedIops = switch (this) {
            case GP2 -> Math.clamp(3L * sizeGiB, 100, 16_000);
            case GP3, IO1, IO2 -> iops.orElse(minIops);
            default -> null;
        };
        if (iops.isPresent() && (iops.get() < minIops || iops.get() > maxIops)) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Value (" + iops.get() + ") for parameter iops is invalid: "
                    + wireName() + " volumes take from " + minIops + " to " + maxIops + " IOPS.");
        }
        Integer resolvedThroughput = this == GP3 ? throughput.orElse(minThroughput) : null;
        if (throughput.isPresent() && (throughput.get() < minThroughput || throughput.get() > maxThroughput)) {
            throw new Ec2Exception(Ec2Error.INVALID_PARAMETER_VALUE, "Value (" + throughput.get()
                    + ") for parameter throughput is invalid: gp3 volumes take from " + minThroughput + " to "
                    + maxThroughput + " MiB/s.");
        }
        return new Performance(resolvedIops, resolvedThroughput);
    }
}
