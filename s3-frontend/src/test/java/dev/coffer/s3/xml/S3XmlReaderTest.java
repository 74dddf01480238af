package dev.coffer.s3.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request documents: what parses, and that every hostile or broken document is MalformedXML and nothing more. */
class S3XmlReaderTest {
    @TempDir
    Path temp;

    private static XmlElement parse(String xml, String root) {
        return S3XmlReader.parse(xml.getBytes(StandardCharsets.UTF_8), root);
    }

    private static void assertMalformed(String xml, String root) {
        assertThatThrownBy(() -> parse(xml, root))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.MALFORMED_XML);
                    assertThat(e.getMessage()).doesNotContain("passwd").doesNotContain("root:");
                });
    }

    @Test
    void parsesADeleteDocument() {
        XmlElement delete = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Quiet>true</Quiet>
                  <Object><Key>a.txt</Key></Object>
                  <Object><Key>  spaced  </Key><VersionId>null</VersionId></Object>
                </Delete>
                """, "Delete");
        assertThat(delete.childText("Quiet")).contains("true");
        assertThat(delete.children("Object")).hasSize(2);
        assertThat(delete.children("Object").getFirst().childText("Key")).contains("a.txt");
        assertThat(delete.children("Object").get(1).childText("VersionId")).contains("null");
        assertThat(delete.child("Missing")).isEmpty();
    }

    @Test
    void namespacesAndPrefixesAreIgnored() {
        String[] documents = {
                "<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>",
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>",
                "<CreateBucketConfiguration xmlns=\"urn:something-else\"><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>",
                "<s3:CreateBucketConfiguration xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\"><s3:LocationConstraint>us-east-1</s3:LocationConstraint></s3:CreateBucketConfiguration>",
        };
        for (String xml : documents) {
            assertThat(parse(xml, "CreateBucketConfiguration").childText("LocationConstraint")).as(xml).contains("us-east-1");
        }
    }

    @Test
    void predefinedEntitiesAndCharacterReferencesAreText() {
        // Keys with '&', '<' and quotes arrive escaped in DeleteObjects: they are text, not entity declarations.
        XmlElement delete = parse("<Delete><Object><Key>a&amp;b&lt;c&gt;&quot;d&apos;&#x41;&#66;</Key></Object></Delete>", "Delete");
        assertThat(delete.children("Object").getFirst().childText("Key")).contains("a&b<c>\"d'AB");
        XmlElement cdata = parse("<Delete><Object><Key><![CDATA[x&y<z]]></Key></Object></Delete>", "Delete");
        assertThat(cdata.children("Object").getFirst().childText("Key")).contains("x&y<z");
    }

    @Test
    void theRootMustBeTheExpectedElement() {
        assertMalformed("<Delete><Object><Key>k</Key></Object></Delete>", "CompleteMultipartUpload");
    }

    @Test
    void externalEntitiesAreRefusedAndNeverRead() throws Exception {
        Path secret = Files.writeString(temp.resolve("passwd"), "root:x:0:0");
        assertMalformed("""
                <?xml version="1.0"?>
                <!DOCTYPE Delete [<!ENTITY xxe SYSTEM "%s">]>
                <Delete><Object><Key>&xxe;</Key></Object></Delete>
                """.formatted(secret.toUri()), "Delete");
        assertMalformed("""
                <?xml version="1.0"?>
                <!DOCTYPE Delete SYSTEM "%s">
                <Delete><Object><Key>k</Key></Object></Delete>
                """.formatted(secret.toUri()), "Delete");
        assertMalformed("""
                <?xml version="1.0"?>
                <!DOCTYPE Delete [<!ENTITY %% p SYSTEM "%s"> %%p;]>
                <Delete><Object><Key>k</Key></Object></Delete>
                """.formatted(secret.toUri()), "Delete");
    }

    @Test
    void entityExpansionBombsAreRefused() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE Delete [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        dtd.append("]>");
        assertMalformed(dtd + "<Delete><Object><Key>&lol9;</Key></Object></Delete>", "Delete");
        assertMalformed("<!DOCTYPE Delete [<!ENTITY a \"x\">]><Delete><Object><Key>&a;</Key></Object></Delete>", "Delete");
    }

    @Test
    void aDoctypeWithoutEntitiesIsRefusedToo() {
        assertMalformed("<!DOCTYPE Delete><Delete><Object><Key>k</Key></Object></Delete>", "Delete");
    }

    @Test
    void undeclaredEntitiesAreRefused() {
        assertMalformed("<Delete><Object><Key>&nbsp;</Key></Object></Delete>", "Delete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not xml", "<Delete>", "<Delete><Object></Delete>", "<Delete></Delete><Delete></Delete>",
            "<Delete/>trailing", "text<Delete/>", "<Delete><Key>a</Key>", "<p:Delete><p:Object/></p:Delete>",
            "<Delete a=\"1\" a=\"2\"/>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<Delete>\u0001</Delete>",
            "<Delete><Object><Key>a</Key></Object><Object></Delete>"})
    void brokenDocumentsAreMalformedXml(String xml) {
        assertMalformed(xml, "Delete");
    }

    @Test
    void invalidUtf8IsMalformedXml() {
        byte[] bad = {'<', 'D', 'e', 'l', 'e', 't', 'e', '>', (byte) 0xC3, (byte) 0x28, '<', '/', 'D', 'e', 'l', 'e', 't',
                'e', '>'};
        assertThatThrownBy(() -> S3XmlReader.parse(bad, "Delete"))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.MALFORMED_XML));
    }

    @Test
    void deeplyNestedDocumentsAreRefused() {
        String deep = "<Delete>" + "<a>".repeat(10_000) + "</a>".repeat(10_000) + "</Delete>";
        assertMalformed(deep, "Delete");
    }
}
