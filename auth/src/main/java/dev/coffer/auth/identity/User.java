package dev.coffer.auth.identity;

import java.time.Instant;

/** An IAM user as stored. */
public record User(String userName, String userId, String path, Instant createDate) {
    public Principal.User principal(AccountId account) {
        return new Principal.User(account, userName, userId, path);
    }
}
