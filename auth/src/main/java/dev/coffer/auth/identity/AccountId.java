package dev.coffer.auth.identity;

import java.security.SecureRandom;

/** A 12-digit AWS account id. */
public record AccountId(String value) {
    public AccountId {
        if (value == null || !value.matches("\\d{12}")) {
            throw new IllegalArgumentException("account id must be 12 digits");
        }
    }

    /** A fresh random account id (the first digit non-zero, as AWS's are). */
    public static AccountId random(SecureRandom random) {
        StringBuilder b = new StringBuilder().append(1 + random.nextInt(9));
        for (int i = 1; i < 12; i++) {
            b.append(random.nextInt(10));
        }
        return new AccountId(b.toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
