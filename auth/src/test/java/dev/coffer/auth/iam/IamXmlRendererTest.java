package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IamXmlRendererTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    @Test
    void anActionWithoutAResultAnswersOnlyItsResponseMetadata() {
        IamTestReply reply = new IamTestReply("r-1", IamXmlRenderer.success("r-1", IamOperation.DeleteUser, List.of()));

        assertThat(reply.rootName()).isEqualTo("DeleteUserResponse");
        assertThat(reply.childNames("DeleteUserResponse")).containsExactly("ResponseMetadata");
        assertThat(reply.text("RequestId")).isEqualTo("r-1");
        assertThat(reply.header("x-amzn-RequestId")).isEqualTo("r-1");
    }

    @Test
    void anErrorCarriesTypeCodeMessageAndRequestIdAndItsStatus() {
        IamTestReply reply = new IamTestReply("r-2", IamXmlRenderer.error("r-2", IamError.DELETE_CONFLICT, "a <b> & 'c'"));

        reply.expectError("DeleteConflict", 409);
        assertThat(reply.text("Type")).isEqualTo("Sender");
        assertThat(reply.errorMessage()).isEqualTo("a <b> & 'c'");
        assertThat(reply.header("x-amzn-ErrorType")).isEqualTo("DeleteConflict");
    }

    @Test
    void aSecretIsWrittenIntoTheResponseButHiddenFromToStringAndWipedAfterwards() {
        SecretBytes secret = SecretBytes.copyOf(SECRET.getBytes(StandardCharsets.US_ASCII));
        List<IamXmlNode> result = List.of(IamXmlNode.element("AccessKey",
                IamXmlNode.text("AccessKeyId", "AKIAEXAMPLE000000000"), new IamXmlNode.Secret("SecretAccessKey", secret)));

        IamTestReply reply = new IamTestReply("r-3", IamXmlRenderer.success("r-3", IamOperation.CreateAccessKey, result));
        assertThat(reply.text("SecretAccessKey")).isEqualTo(SECRET);
        assertThat(result.toString()).doesNotContain(SECRET).contains("AKIAEXAMPLE000000000");

        IamXmlNode.destroySecrets(result);
        assertThat(secret.isDestroyed()).isTrue();
    }

    @Test
    void everyErrorHasAnAwsCodeAndAnHttpErrorStatus() {
        for (IamError error : IamError.values()) {
            assertThat(error.code()).matches("[A-Z][A-Za-z]+");
            assertThat(error.httpStatus()).isBetween(400, 599);
            assertThat(error.fault()).isEqualTo(error.httpStatus() >= 500 ? IamError.Fault.RECEIVER : IamError.Fault.SENDER);
        }
    }
}
