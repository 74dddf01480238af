package dev.coffer.auth.policy;

/** A statement's Effect. AWS spells the values exactly {@code Allow} and {@code Deny}. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String awsName;

    Effect(String awsName) {
        this.awsName = awsName;
    }

    /** The value as written in a policy document. */
    public String awsName() {
        return awsName;
    }
}
