package dev.coffer.gateway;

import dev.coffer.gateway.cli.CofferCli;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;

/** Entry point of the {@code coffer} command: wires the real process streams and environment in. */
public final class CofferMain {
    private CofferMain() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        System.exit(CofferCli.execute(args, System.getenv(), out, err));
    }
}
