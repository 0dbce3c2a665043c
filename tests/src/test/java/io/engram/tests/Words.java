package io.engram.tests;

/** A distinct, letters-only word per number, so each test memory is findable by its own term. */
final class Words {

    private Words() {
    }

    static String of(int n) {
        StringBuilder word = new StringBuilder("qz");
        do {
            word.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return word.toString();
    }
}
