package io.engram.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.junit.jupiter.api.Test;

class TextAnalyzerTest {

    private final TextAnalyzer analyzer = TextAnalyzer.english();

    private List<String> index(String text) {
        return analyzer.index(text).stream().map(Token::term).collect(Collectors.toList());
    }

    private List<String> query(String text) {
        return analyzer.query(text).stream().map(Token::term).collect(Collectors.toList());
    }

    /** "term@position" for each token, to check positions and terms together. */
    private List<String> placed(List<Token> tokens) {
        return tokens.stream().map(t -> t.term() + "@" + t.position()).collect(Collectors.toList());
    }

    @Test
    void camelCaseIdentifiersYieldTheirPartsAndTheWhole() {
        assertEquals(List.of("parsejsonfile@0", "parse@0", "json@1", "file@2", "now@3"),
                placed(analyzer.index("parseJsonFile now")));
    }

    @Test
    void snakeCaseMeetsCamelCaseOnTheJoinedWhole() {
        List<String> snake = index("parse_json_file");
        assertEquals(List.of("parse_json_file", "parsejsonfile", "parse", "json", "file"), snake);
        assertTrue(index("parseJsonFile").containsAll(List.of("parsejsonfile", "parse", "json", "file")));
        assertTrue(index("ParseJSONFile").contains("parsejsonfile"), index("ParseJSONFile").toString());
    }

    @Test
    void anAcronymIsSplitFromTheWordAfterIt() {
        assertEquals(List.of("http_server", "httpserver", "http", "server"), index("HTTPServer"));
        assertTrue(index("XMLHttpRequest").containsAll(List.of("xml", "http", "request", "xmlhttprequest")));
    }

    @Test
    void pathsAreKeptWholeAndInParts() {
        assertEquals(List.of("see@0", "src/main/java/foo.java@1", "srcmainjavafoojava@1", "src@1", "main@2", "java@3",
                "foo@4", "java@5"), placed(analyzer.index("See src/main/java/Foo.java.")));
        assertTrue(index("C:\\Users\\ana\\notes.txt").containsAll(List.of("c:\\users\\ana\\notes.txt", "user", "ana",
                "note", "txt")), index("C:\\Users\\ana\\notes.txt").toString());
    }

    @Test
    void scopedNamesAndMembersStayTogether() {
        assertEquals(List.of("std::vector", "stdvector", "std", "vector", "int"), index("std::vector<int>"));
        assertTrue(index("Foo#bar()").containsAll(List.of("foo#bar", "foo", "bar")));
        assertTrue(index("me@example.com").containsAll(List.of("me@example.com", "me", "example", "com")));
    }

    @Test
    void urlsKeepSchemeHostAndPathWhole() {
        List<String> terms = index("see https://example.com/docs/setup?lang=en");
        assertTrue(terms.containsAll(List.of("https://example.com/docs/setup", "http", "example", "com", "doc",
                "setup", "lang", "en")), terms.toString());
    }

    @Test
    void versionsKeepTheirDotsAndNumbersAreSplitFromLetters() {
        assertEquals(List.of("1.2.3", "1", "2", "3"), index("1.2.3"));
        assertTrue(index("log4j").containsAll(List.of("log4j", "log", "4", "j")));
        assertTrue(index("utf-8").containsAll(List.of("utf-8", "utf", "8")));
        assertTrue(index("utf8").containsAll(List.of("utf8", "utf", "8")));
        assertEquals(List.of("42"), index("42"));
    }

    @Test
    void sentencePunctuationIsNotPartOfAWord() {
        assertEquals(List.of("use", "foo", "then", "bar"), index("Use (foo), then \"bar\"!"));
        assertEquals(List.of("end"), index("end..."));
        assertEquals(List.of("hello"), index("'hello'"));
    }

    @Test
    void possessivesAndContractions() {
        assertTrue(index("John's").containsAll(List.of("john's", "john")));
        assertTrue(index("don't").containsAll(List.of("don't", "dont")));
    }

    @Test
    void stemmingConflatesFormsDevelopersWriteWithoutMergingUnrelatedWords() {
        assertEquals(List.of("test", "test", "test", "test"), index("tests testing tested test"));
        assertEquals(List.of("parse", "parse", "parse", "parse"), index("parse parses parsing parser"));
        assertEquals(List.of("deploy", "deploy", "deploy"), index("deployed deploying deployment"));
        assertEquals(List.of("query", "query", "cache", "cache", "log", "log"),
                index("queries querying cached caching logs logging"));
        // Porter would make all four "gener" and the last two "organ"
        assertEquals(List.of("generic", "general", "generate", "organization", "organic"),
                index("generic general generate organization organic"));
    }

    @Test
    void lettersOfOtherLanguagesAreKeptAndLowerCased() {
        assertEquals(List.of("ünïcödé", "naïve", "café", "straße", "привет", "мир"),
                index("Ünïcödé naïve CAFÉ Straße Привет мир"));
    }

    @Test
    void hanAndHiraganaAreOneTermPerCharacter() {
        assertEquals(List.of("日@0", "本@1", "語@2", "の@3", "テキスト@4"), placed(analyzer.index("日本語のテキスト")));
    }

    @Test
    void emojiAndSymbolsAreNotTerms() {
        assertEquals(List.of("rocket@0", "launch@1"), placed(analyzer.index("rocket 🚀 launch → ✓")));
    }

    @Test
    void offsetsPointIntoTheText() {
        String text = "call parseJsonFile()";
        for (Token token : analyzer.index(text)) {
            String covered = text.substring(token.startOffset(), token.endOffset()).toLowerCase();
            assertTrue(covered.contains(token.term()) || covered.replaceAll("[^a-z]", "").equals(token.term()),
                    token + " covers '" + covered + "'");
        }
        Token json = analyzer.index(text).stream().filter(t -> t.term().equals("json")).findFirst().orElseThrow();
        assertEquals("Json", text.substring(json.startOffset(), json.endOffset()));
    }

    @Test
    void emptyAndBlankTextHaveNoTerms() {
        assertEquals(List.of(), index(""));
        assertEquals(List.of(), index("  \n\t ... !!! "));
        assertEquals(List.of(), query(""));
        assertThrows(NullPointerException.class, () -> analyzer.index(null));
    }

    @Test
    void queriesDropStopWordsAndKeepTheGap() {
        assertEquals(List.of("state@0", "art@3"), placed(analyzer.query("state of the art")));
        assertEquals(List.of("state@0", "of@1", "the@2", "art@3"), placed(analyzer.index("state of the art")));
        assertEquals(List.of("isempty", "empty"), query("isEmpty"));
    }

    @Test
    void aQueryOfStopWordsAloneKeepsThem() {
        assertEquals(List.of("the"), query("the"));
        assertEquals(List.of("to", "be", "or", "not", "to", "be"), query("To be, or not to be"));
    }

    @Test
    void stopWordsCanBeChangedOrTurnedOff() {
        TextAnalyzer none = TextAnalyzer.withQueryStopWords(Set.of());
        assertEquals(List.of("state", "of", "the", "art"),
                none.query("state of the art").stream().map(Token::term).collect(Collectors.toList()));
        TextAnalyzer custom = TextAnalyzer.withQueryStopWords(Set.of("TODO"));
        assertEquals(List.of("fix", "the", "cache"),
                custom.query("TODO fix the cache").stream().map(Token::term).collect(Collectors.toList()));
        assertEquals(custom.id(), analyzer.id(), "stop words are never indexed, so they do not change the index");
    }

    @Test
    void theDefaultStopWordsAreLucenesEnglishOnes() {
        Set<String> lucene = new HashSet<>();
        EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.forEach(w -> lucene.add(new String((char[]) w)));
        assertEquals(lucene, analyzer.queryStopWords());
    }

    @Test
    void everyQueryTermOfATextIsAnIndexTermOfTheSameText() {
        String text = "The parseJsonFile() in src/main/java/io/Foo.java fails on UTF-8 input (v1.2.3), see "
                + "https://example.com/issues/42 and HTTPServer's logs.";
        assertTrue(new HashSet<>(index(text)).containsAll(query(text)));
    }

    @Test
    void termsLongerThanTheCapAreDroppedButTheirPartsKept() {
        String blob = "x".repeat(TextAnalyzer.MAX_TERM_LENGTH + 1);
        assertEquals(List.of("before", "after"), index("before " + blob + " after"));
        String longPath = IntStream.range(0, 30).mapToObj(i -> "segment" + (char) ('a' + i % 26))
                .collect(Collectors.joining("/"));
        List<String> terms = index(longPath);
        assertFalse(terms.contains(longPath.toLowerCase()));
        assertTrue(terms.contains("segmenta"));
        assertTrue(index(longPath + " " + "é".repeat(200)).stream()
                .allMatch(t -> t.length() <= TextAnalyzer.MAX_TERM_LENGTH));
    }

    @Test
    void hugeTextIsAnalyzedWholeWithPositionsInOrder() {
        int words = 200_000;
        String text = IntStream.range(0, words).mapToObj(i -> "word" + (char) ('a' + i % 26))
                .collect(Collectors.joining(" "));
        List<Token> tokens = analyzer.index(text + " lastWord");
        assertEquals(words + 3, tokens.size());
        for (int i = 0; i < words; i++) {
            assertEquals(i, tokens.get(i).position());
        }
        assertEquals(List.of("lastword@" + words, "last@" + words, "word@" + (words + 1)),
                placed(tokens.subList(words, words + 3)));
    }

    @Test
    void longRunsOfJoinedPunctuationDoNotOverflowTheStack() {
        String dotted = "a.".repeat(100_000);
        List<Token> tokens = analyzer.index(dotted);
        assertEquals(100_000, tokens.stream().filter(t -> t.term().equals("a")).count());
        assertEquals(List.of("a"), index("-".repeat(100_000) + "a" + "/".repeat(100_000)));
    }

    @Test
    void oneAnalyzerServesManyThreads() {
        String text = "parseJsonFile src/main/java/Foo.java tests testing 1.2.3 日本語";
        List<Token> expected = analyzer.index(text);
        assertTrue(IntStream.range(0, 500).parallel().allMatch(i -> analyzer.index(text).equals(expected)));
    }
}
