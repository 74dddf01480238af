package dev.coffer.s3.ops;

import static dev.coffer.s3.http.RequestHeads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The routing table: method, addressing level and subresource decide the operation, or an S3 error says why none does. */
class S3OperationTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET    | /                                      | LIST_BUCKETS
            PUT    | /b                                     | CREATE_BUCKET
            HEAD   | /b                                     | HEAD_BUCKET
            DELETE | /b                                     | DELETE_BUCKET
            GET    | /b?location                            | GET_BUCKET_LOCATION
            GET    | /b                                     | LIST_OBJECTS
            GET    | /b?prefix=a&delimiter=/                | LIST_OBJECTS
            GET    | /b?list-type=2                         | LIST_OBJECTS_V2
            GET    | /b?list-type=2&start-after=x           | LIST_OBJECTS_V2
            GET    | /b?uploads                             | LIST_MULTIPART_UPLOADS
            POST   | /b?delete                              | DELETE_OBJECTS
            GET    | /b?policy                              | GET_BUCKET_POLICY
            PUT    | /b?policy                              | PUT_BUCKET_POLICY
            DELETE | /b?policy                              | DELETE_BUCKET_POLICY
            GET    | /b?encryption                          | GET_BUCKET_ENCRYPTION
            PUT    | /b?encryption                          | PUT_BUCKET_ENCRYPTION
            DELETE | /b?encryption                          | DELETE_BUCKET_ENCRYPTION
            GET    | /b?encryption=                         | GET_BUCKET_ENCRYPTION
            PUT    | /b/k                                   | PUT_OBJECT
            GET    | /b/k                                   | GET_OBJECT
            GET    | /b/k?partNumber=2                      | GET_OBJECT
            GET    | /b/k?response-content-type=text/plain  | GET_OBJECT
            HEAD   | /b/k                                   | HEAD_OBJECT
            DELETE | /b/k                                   | DELETE_OBJECT
            POST   | /b/k?uploads                           | CREATE_MULTIPART_UPLOAD
            PUT    | /b/k?partNumber=1&uploadId=u           | UPLOAD_PART
            POST   | /b/k?uploadId=u                        | COMPLETE_MULTIPART_UPLOAD
            DELETE | /b/k?uploadId=u                        | ABORT_MULTIPART_UPLOAD
            GET    | /b/k?uploadId=u                        | LIST_PARTS
            GET    | /b/k?uploadId=u&max-parts=10           | LIST_PARTS
            """)
    void routesEveryOperation(String method, String target, S3Operation expected) {
        assertThat(S3Operation.resolve(request(method, target))).isEqualTo(expected);
    }

    @Test
    void everyOperationIsRoutedToByTheTableAbove() throws Exception {
        String table = Arrays.stream(S3OperationTest.class.getDeclaredMethod("routesEveryOperation", String.class,
                String.class, S3Operation.class).getAnnotation(CsvSource.class).textBlock().split("\n"))
                .map(line -> line.substring(line.lastIndexOf('|') + 1).trim()).collect(Collectors.joining(" "));
        Set<S3Operation> routed = EnumSet.noneOf(S3Operation.class);
        for (String name : table.split(" ")) {
            if (!name.isEmpty()) {
                routed.add(S3Operation.valueOf(name));
            }
        }
        routed.add(S3Operation.COPY_OBJECT);
        routed.add(S3Operation.UPLOAD_PART_COPY);
        assertThat(routed).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(S3Operation.class));
    }

    @Test
    void aCopySourceHeaderTurnsPutsIntoCopies() {
        assertThat(S3Operation.resolve(request("PUT", "/b/k", "x-amz-copy-source", "/src/key")))
                .isEqualTo(S3Operation.COPY_OBJECT);
        assertThat(S3Operation.resolve(request("PUT", "/b/k?partNumber=3&uploadId=u", "x-amz-copy-source", "/src/key")))
                .isEqualTo(S3Operation.UPLOAD_PART_COPY);
        // A copy source on anything but a PUT does not change what the request is.
        assertThat(S3Operation.resolve(request("GET", "/b/k", "x-amz-copy-source", "/src/key")))
                .isEqualTo(S3Operation.GET_OBJECT);
    }

    @Test
    void everyOperationHasAHandler() {
        assertThat(S3Handlers.all().keySet()).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(S3Operation.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"acl", "accelerate", "analytics", "cors", "intelligent-tiering", "inventory",
            "lifecycle", "logging", "metrics", "notification", "object-lock", "ownershipControls", "policyStatus",
            "publicAccessBlock", "replication", "requestPayment", "tagging", "versioning", "versions", "website",
            "metadataTable", "session"})
    void unsupportedBucketSubresourcesAreNotImplementedAndNeverListings(String subresource) {
        for (String method : new String[] {"GET", "PUT", "DELETE"}) {
            assertThatThrownBy(() -> S3Operation.resolve(request(method, "/b?" + subresource)))
                    .as(method + " ?" + subresource)
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.error()).isEqualTo(S3Error.NOT_IMPLEMENTED);
                        assertThat(e.getMessage()).contains("?" + subresource);
                    });
        }
        // With a value too (?versioning=, ?tagging&x=1), the subresource is what counts.
        assertThatThrownBy(() -> S3Operation.resolve(request("GET", "/b?list-type=2&" + subresource + "=")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.NOT_IMPLEMENTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"acl", "tagging", "legal-hold", "retention", "torrent", "restore", "select", "attributes",
            "renameObject"})
    void unsupportedObjectSubresourcesAreNotImplementedAndNeverPlainObjectOperations(String subresource) {
        for (String method : new String[] {"GET", "PUT", "DELETE", "POST", "HEAD"}) {
            assertThatThrownBy(() -> S3Operation.resolve(request(method, "/b/k?" + subresource)))
                    .as(method + " ?" + subresource)
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.NOT_IMPLEMENTED));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PUT     | /
            DELETE  | /
            POST    | /
            HEAD    | /
            POST    | /b
            PATCH   | /b
            OPTIONS | /b
            POST    | /b/k
            PATCH   | /b/k
            OPTIONS | /b/k
            TRACE   | /b/k
            """)
    void wrongMethodsAreMethodNotAllowed(String method, String target) {
        assertThatThrownBy(() -> S3Operation.resolve(request(method, target)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.METHOD_NOT_ALLOWED);
                    assertThat(e.error().status()).isEqualTo(405);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "DELETE", "PUT"})
    void aVersionIdOtherThanNullIsRefusedSoNoOtherVersionIsReadOrDeletedInItsPlace(String method) {
        assertThatThrownBy(() -> S3Operation.resolve(request(method, "/b/k?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).isEqualTo("Invalid version id specified");
                    assertThat(e.details()).containsEntry("ArgumentName", "versionId");
                });
        assertThatThrownBy(() -> S3Operation.resolve(request(method, "/b/k?versionId=")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_ARGUMENT));
    }

    @Test
    void theNullVersionIsTheObjectItself() {
        assertThat(S3Operation.resolve(request("GET", "/b/k?versionId=null"))).isEqualTo(S3Operation.GET_OBJECT);
        assertThat(S3Operation.resolve(request("DELETE", "/b/k?versionId=null"))).isEqualTo(S3Operation.DELETE_OBJECT);
    }

    @Test
    void aKeyThatLooksLikeASubresourceIsStillAKey() {
        assertThat(S3Operation.resolve(request("GET", "/b/acl"))).isEqualTo(S3Operation.GET_OBJECT);
        assertThat(S3Operation.resolve(request("PUT", "/b/uploads"))).isEqualTo(S3Operation.PUT_OBJECT);
        assertThat(S3Operation.resolve(request("DELETE", "/b/policy"))).isEqualTo(S3Operation.DELETE_OBJECT);
    }

    @Test
    void operationsCarryTheirAwsNamesAndIamActions() {
        assertThat(S3Operation.LIST_OBJECTS_V2.awsName()).isEqualTo("ListObjectsV2");
        assertThat(S3Operation.LIST_OBJECTS_V2.iamAction()).isEqualTo("s3:ListBucket");
        assertThat(S3Operation.HEAD_OBJECT.iamAction()).isEqualTo("s3:GetObject");
        assertThat(S3Operation.LIST_BUCKETS.level()).isEqualTo(S3Operation.Level.SERVICE);
        assertThat(S3Operation.DELETE_OBJECTS.level()).isEqualTo(S3Operation.Level.BUCKET);
        assertThat(S3Operation.LIST_PARTS.level()).isEqualTo(S3Operation.Level.OBJECT);
        assertThat(S3Operation.GET_BUCKET_ENCRYPTION.iamAction()).isEqualTo("s3:GetEncryptionConfiguration");
        assertThat(S3Operation.PUT_BUCKET_ENCRYPTION.iamAction()).isEqualTo("s3:PutEncryptionConfiguration");
        // AWS has no s3:DeleteEncryptionConfiguration: deleting is putting the default back.
        assertThat(S3Operation.DELETE_BUCKET_ENCRYPTION.iamAction()).isEqualTo("s3:PutEncryptionConfiguration");
    }
}
