package dev.coffer.kms.core;

import java.time.Instant;

/** An alias ({@code alias/...}) and the key it points to. */
public record KmsAlias(String aliasName, String targetKeyId, Instant creationDate, Instant lastUpdatedDate) {
}
