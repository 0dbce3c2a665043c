package io.engram.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.engram.api.store.Store;

/** Short helpers for tests that store strings. */
final class Bytes {

    private Bytes() {
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, UTF_8);
    }

    static long count(Store store, String keyspace) {
        Long count = store.read(txn -> txn.count(keyspace));
        return count;
    }

    static String get(Store store, String keyspace, String key) {
        return s(store.read(txn -> txn.get(keyspace, b(key))));
    }

    static void put(Store store, String keyspace, String key, String value) {
        store.write(txn -> {
            txn.put(keyspace, b(key), b(value));
            return null;
        });
    }

    static boolean delete(Store store, String keyspace, String key) {
        Boolean deleted = store.write(txn -> txn.delete(keyspace, b(key)));
        return deleted;
    }
}
