package io.engram.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TermsTest {

    @Test
    void lowerCasesWordsAndDropsPunctuation() {
        assertEquals(List.of("use", "lmdb", "for", "storage", "v2"), Terms.of("Use LMDB, for storage (v2)!"));
    }

    @Test
    void splitsCamelCaseAndKeepsTheWhole() {
        assertEquals(List.of("parse", "json", "file", "parsejsonfile"), Terms.of("parseJSONFile"));
    }

    @Test
    void splitsSnakeCaseAndKeepsTheWholeJoined() {
        assertEquals(List.of("parse", "json", "file", "parsejsonfile"), Terms.of("parse_json_file"));
        assertEquals(List.of("init"), Terms.of("__init__"));
    }

    @Test
    void keepsNonAsciiLetters() {
        assertEquals(List.of("größe", "café"), Terms.of("Größe café"));
    }

    @Test
    void distinctKeepsFirstAppearanceOrder() {
        assertEquals(List.of("b", "a"), Terms.distinct("b a B A"));
    }
}
