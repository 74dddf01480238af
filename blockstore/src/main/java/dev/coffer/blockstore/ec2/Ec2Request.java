package dev.coffer.blockstore.ec2;

import java.util.List;

/**
 * One EC2 request as a handler sees it: the action, its parameters, the caller. A handler first
 * validates its parameters, then calls {@link #authorize} with the resources it will act on, and
 * only then changes anything: {@code authorize} is also where DryRun stops a request.
 */
final class Ec2Request {
    private final Ec2Operation operation;
    private final Ec2Parameters parameters;
    private final Ec2Call call;
    private final Ec2Authorizer authorizer;
    private boolean authorized;

    Ec2Request(Ec2Operation operation, Ec2Parameters parameters, Ec2Call call, Ec2Authorizer authorizer) {
        this.operation = operation;
        this.parameters = parameters;
        this.call = call;
        this.authorizer = authorizer;
    }

    Ec2Operation operation() {
        return operation;
    }

    Ec2Parameters parameters() {
        return parameters;
    }

    Ec2Call call() {
        return call;
    }

    /** The KMS requester: the access key id that signed the request. */
    String requester() {
        return call.accessKeyId();
    }

    String accountId() {
        return call.accountId();
    }

    String volumeArn(String volumeId) {
        return authorizer.volumeArn(call, volumeId);
    }

    String snapshotArn(String snapshotId) {
        return authorizer.snapshotArn(call, snapshotId);
    }

    String instanceArn(String instanceId) {
        return authorizer.instanceArn(call, instanceId);
    }

    /**
     * Allows {@code ec2:<Action>} on every resource, or throws UnauthorizedOperation; with
     * DryRun=true, then throws DryRunOperation.
     */
    void authorize(String... resources) {
        authorizer.authorize(call, operation, List.of(resources));
        authorized = true;
        if (parameters.flag("DryRun")) {
            throw new Ec2Exception(Ec2Error.DRY_RUN_OPERATION, "Request would have succeeded, but DryRun flag is set.");
        }
    }

    boolean authorized() {
        return authorized;
    }
}
