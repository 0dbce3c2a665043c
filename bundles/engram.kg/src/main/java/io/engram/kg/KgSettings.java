package io.engram.kg;

/**
 * The kg tools' settings, checked where an admin's file is read ({@link KgService#SETTINGS}).
 *
 * @param responseBudgetChars how many characters of items a list or read answer holds at most
 *                            before it stops with {@code truncated: true} and a cursor
 * @param maxLimit            the largest {@code limit} a call may ask for
 */
public record KgSettings(int responseBudgetChars, int maxLimit) {

    public static final KgSettings DEFAULTS = new KgSettings(8_000, 500);
}
