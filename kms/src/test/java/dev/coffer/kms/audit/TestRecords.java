package dev.coffer.kms.audit;

import dev.coffer.kms.audit.AuditRecord.UserIdentity;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Realistic KMS records for tests. */
final class TestRecords {
    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-west-2";

    private TestRecords() {}

    static String keyArn(String keyId) {
        return "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
    }

    static String userArn(String userName) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + userName;
    }

    static UserIdentity user(String userName) {
        return UserIdentity.iamUser("AIDA" + userName.toUpperCase(java.util.Locale.ROOT), userArn(userName), ACCOUNT,
                "AKIA" + userName.toUpperCase(java.util.Locale.ROOT), userName);
    }

    /** A successful call on {@code keyId}, naming the key in requestParameters as {@code requestedKeyId}. */
    static AuditRecord call(String eventName, Instant time, String userName, String keyId, String requestedKeyId) {
        return AuditRecord.builder()
                .userIdentity(user(userName))
                .eventTime(time)
                .eventName(eventName)
                .awsRegion(REGION)
                .sourceIpAddress("192.0.2.10")
                .userAgent("aws-cli/2.15.0")
                .requestParameters(Map.of("keyId", requestedKeyId, "encryptionAlgorithm", "SYMMETRIC_DEFAULT"))
                .requestId(UUID.randomUUID().toString())
                .readOnly(true)
                .kmsKeyResource(keyArn(keyId), ACCOUNT)
                .recipientAccountId(ACCOUNT)
                .build();
    }

    static AuditRecord decrypt(Instant time, String userName, String keyId) {
        return call("Decrypt", time, userName, keyId, keyArn(keyId));
    }
}
