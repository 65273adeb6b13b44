package io.hearth.node.codec;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;

/**
 * A raw binary writer and reader that are a tape of the values in call order, which is all a raw binary form is.
 * Objects written with {@code writeObject} go on the tape as they are.
 */
final class Tape {
    private static final Object NULL = new Object();

    private Tape() {
    }

    static BinaryWriter writer(List<Object> tape) {
        return (BinaryWriter) Proxy.newProxyInstance(Tape.class.getClassLoader(),
            new Class<?>[] {BinaryWriter.class, BinaryRawWriter.class}, (proxy, m, args) -> {
                if (m.getName().equals("rawWriter")) {
                    return proxy;
                }
                if (!m.getName().startsWith("write") || args.length != 1) {
                    throw new UnsupportedOperationException(m.getName());
                }
                tape.add(args[0]);
                return null;
            });
    }

    static BinaryReader reader(List<Object> tape) {
        Deque<Object> left = new ArrayDeque<>();
        tape.forEach(x -> left.add(x == null ? NULL : x));
        return (BinaryReader) Proxy.newProxyInstance(Tape.class.getClassLoader(),
            new Class<?>[] {BinaryReader.class, BinaryRawReader.class}, (proxy, m, args) -> {
                if (m.getName().equals("rawReader")) {
                    return proxy;
                }
                if (!m.getName().startsWith("read") || (args != null && args.length > 0)) {
                    throw new UnsupportedOperationException(m.getName());
                }
                Object x = left.removeFirst();
                return x == NULL ? null : x;
            });
    }
}
