package dev.coffer.blockstore.ec2;

import java.time.Instant;
import java.util.Objects;

/**
 * A volume's attachment as stored.
 *
 * @param state {@code attaching}, {@code attached} or {@code detaching}
 * @param grantId the KMS grant the volume key was unsealed under (encrypted volumes), kept so the
 *     volume can be re-published after a restart and the grant retired at detach; null while
 *     attaching and for plaintext volumes
 */
public record Ec2Attachment(String instanceId, String device, String state, Instant attachTime, String grantId) {
    public Ec2Attachment {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(attachTime, "attachTime");
    }

    Ec2Attachment withState(String newState) {
        return new Ec2Attachment(instanceId, device, newState, attachTime, grantId);
    }

    Ec2Attachment withGrantId(String newGrantId) {
        return new Ec2Attachment(instanceId, device, state, attachTime, newGrantId);
    }
}
