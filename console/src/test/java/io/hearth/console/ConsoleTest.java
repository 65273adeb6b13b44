package io.hearth.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's files, without a browser: every asset is served (and none is left out of the list), the scripts
 * import only assets that exist, fetch nothing from another origin, and never write HTML (so no server string can
 * become markup). The pages themselves are tested in a browser by gateway's ConsoleBrowserIT.
 */
class ConsoleTest {
    static final Path ASSETS = Path.of("src/main/resources/io/hearth/console/assets");

    static List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(ASSETS)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyAssetInTheDirectoryIsServedAndEveryServedAssetExists() throws IOException {
        assertThat(Console.ASSETS).containsExactlyInAnyOrderElementsOf(files());
    }

    @Test
    void scriptsImportOnlyAssetsThatAreServed() throws IOException {
        Pattern imp = Pattern.compile("from '\\./([^']+)'");
        for (String f : files()) {
            Matcher m = imp.matcher(Files.readString(ASSETS.resolve(f)));
            while (m.find()) {
                assertThat(Console.ASSETS).as("%s imports %s", f, m.group(1)).contains(m.group(1));
            }
        }
    }

    @Test
    void nothingIsFetchedFromTheInternetAndNoHtmlIsWrittenFromStrings() throws IOException {
        for (String f : files()) {
            String text = Files.readString(ASSETS.resolve(f));
            assertThat(text).as(f).doesNotContainPattern("(?i)https?://(?!www\\.w3\\.org/2000/svg)")
                .doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("document.write").doesNotContain("eval(");
        }
    }

    @Test
    void thePageNamesItsAssetsByTheirDigest() {
        String digest = Console.digest();
        assertThat(digest).matches("[0-9a-f]{12}");
        assertThat(Console.CSP).contains("script-src 'self'").doesNotContain("unsafe-inline");
    }
}
