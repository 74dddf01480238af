package dev.coffer.gateway;

/** Entry point of the {@code coffer} command. */
public final class CofferMain {
    private CofferMain() {}

    public static void main(String[] args) {
        System.out.println("coffer 0.1.0-SNAPSHOT");
    }
}
