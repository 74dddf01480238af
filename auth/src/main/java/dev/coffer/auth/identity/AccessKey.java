package dev.coffer.auth.identity;

import java.time.Instant;

/**
 * An access key's public facts (never its secret).
 *
 * @param userName the owning user, or null for the account root's key
 * @param active Active or Inactive
 */
public record AccessKey(String accessKeyId, String userName, boolean active, Instant createDate) {
}
