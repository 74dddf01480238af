package dev.coffer.gateway.config;

import java.util.Optional;

/** A service {@code coffer serve} can run, named as in {@code --services}. */
public enum CofferService {
    S3("s3"),
    KMS("kms"),
    EC2("ec2"),
    NBD("nbd");

    private final String id;

    CofferService(String id) {
        this.id = id;
    }

    /** The name used in {@code --services}, health reports and start-up output. */
    public String id() {
        return id;
    }

    /** Whether the service is reached through the HTTP/HTTPS edge ports (NBD has its own port). */
    public boolean usesEdgePorts() {
        return this != NBD;
    }

    public static Optional<CofferService> byId(String id) {
        for (CofferService service : values()) {
            if (service.id.equals(id)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}
