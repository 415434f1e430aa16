package org.openkms.conformance.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extraction DocumentedExamplesTest relies on: lines, languages, indented fences and markers. */
class MarkdownExamplesTest {
    @TempDir
    Path root;

    @Test
    void blocksCarryTheirLineLanguageBodyAndTheMarkersRightAboveThem() throws Exception {
        Files.writeString(root.resolve("page.md"), """
                # Title

                <!-- example: skip needs the reader's database -->
                <!-- example: imports a.b.C a.b.* -->

                ```java
                int x = 1;
                ```

                text
                1. a list item:
                   <!-- example: services -->
                   ```bash
                   echo "indented"
                     echo "more"
                   ```

                ```
                output
                ```
                """);
        List<DocExample> examples = MarkdownExamples.read(root, "page.md");

        assertThat(examples).hasSize(3);
        DocExample java = examples.get(0);
        assertThat(java.name()).isEqualTo("page.md:7 [java]");
        assertThat(java.body()).isEqualTo("int x = 1;\n");
        assertThat(java.skipReason()).contains("needs the reader's database");
        assertThat(java.imports()).containsExactly("a.b.C", "a.b.*");

        DocExample bash = examples.get(1);
        assertThat(bash.line()).isEqualTo(14);
        assertThat(bash.body()).isEqualTo("echo \"indented\"\n  echo \"more\"\n");
        assertThat(bash.has("services")).isTrue();
        assertThat(bash.skipReason()).isEmpty();

        DocExample output = examples.get(2);
        assertThat(output.language()).isEmpty();
        assertThat(output.markers()).isEmpty();
    }

    @Test
    void aMarkerSeparatedByTextDoesNotApply() throws Exception {
        Files.writeString(root.resolve("page.md"), "<!-- example: skip x -->\nsome text\n\n```bash\ntrue\n```\n");
        assertThat(MarkdownExamples.read(root, "page.md").get(0).markers()).isEmpty();
    }

    @Test
    void anUnclosedBlockIsAnError() throws Exception {
        Files.writeString(root.resolve("page.md"), "```bash\ntrue\n");
        assertThatThrownBy(() -> MarkdownExamples.read(root, "page.md"))
                .hasMessage("page.md:1: code block never closed");
    }
}
