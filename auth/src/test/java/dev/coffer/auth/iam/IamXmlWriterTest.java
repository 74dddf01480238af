package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class IamXmlWriterTest {

    private static Document parse(IamXmlWriter writer) {
        return IamTestReply.parse(writer.toUtf8());
    }

    @Test
    void escapesMarkupCharactersSoTextReadsBackUnchanged() {
        String tricky = "a & b < c > d \" e ' f ]]> <![CDATA[x]]> &amp;";
        IamXmlWriter writer = new IamXmlWriter().start("Root", "urn:x").element("Value", tricky).end();

        String raw = new String(writer.toUtf8(), StandardCharsets.UTF_8);
        assertThat(raw).contains("a &amp; b &lt; c &gt; d &quot; e &apos; f ]]&gt; &lt;![CDATA[x]]&gt; &amp;amp;");
        assertThat(parse(writer).getDocumentElement().getTextContent()).isEqualTo(tricky);
    }

    @Test
    void escapesTheNamespaceAttribute() {
        IamXmlWriter writer = new IamXmlWriter().start("Root", "urn:a\"b&c<d").end();

        assertThat(parse(writer).getDocumentElement().getNamespaceURI()).isEqualTo("urn:a\"b&c<d");
    }

    @Test
    void keepsUnicodeIncludingSupplementaryCharactersAsUtf8() {
        String text = "Zoë 日本 \uD83D\uDE00 \u00A0";
        IamXmlWriter writer = new IamXmlWriter().start("Root").text(text).end();

        assertThat(new String(writer.toUtf8(), StandardCharsets.UTF_8)).contains(text);
        assertThat(parse(writer).getDocumentElement().getTextContent()).isEqualTo(text);
    }

    @Test
    void keepsTabsNewlinesAndCarriageReturnsThroughEndOfLineNormalisation() {
        IamXmlWriter writer = new IamXmlWriter().start("Root").text("a\tb\nc\r\nd\re").end();

        assertThat(parse(writer).getDocumentElement().getTextContent()).isEqualTo("a\tb\nc\r\nd\re");
    }

    @Test
    void replacesCharactersXmlCannotCarrySoTheDocumentStillParses() {
        String hostile = "nul\u0000 bell\u0007 esc\u001B lone-high\uD800 lone-low\uDC00 nonchar\uFFFE\uFFFF";
        IamXmlWriter writer = new IamXmlWriter().start("Root").text(hostile).end();

        assertThat(parse(writer).getDocumentElement().getTextContent())
                .isEqualTo("nul\uFFFD bell\uFFFD esc\uFFFD lone-high\uFFFD lone-low\uFFFD nonchar\uFFFD\uFFFD");
    }

    @Test
    void refusesUnclosedElementsStrayEndsAndElementNamesThatAreNotPlainWords() {
        assertThatThrownBy(() -> new IamXmlWriter().start("Root").toUtf8()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new IamXmlWriter().end()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new IamXmlWriter().text("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new IamXmlWriter().start("a><b")).isInstanceOf(IllegalArgumentException.class);
    }
}
