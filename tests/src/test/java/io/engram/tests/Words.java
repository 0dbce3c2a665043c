package io.engram.tests;

/**
 * A distinct, letters-only word per number, so each test memory is findable by its own term. Each ends
 * in "x" so that stemming never makes two of them one term (search would find "qzas" for "qza").
 */
final class Words {

    private Words() {
    }

    static String of(int n) {
        StringBuilder word = new StringBuilder("qz");
        do {
            word.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return word.append('x').toString();
    }
}
