package io.hearth.compute.events;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.IgniteCache;

/**
 * Map-backed stand-ins for the cache calls event storage makes (get, getAll, put, putAll, remove, removeAll, invoke,
 * invokeAll), so its algorithms can be dueled at volume without a grid. An optional fault hook runs before every
 * mutating call and may throw, to cut a multi-step operation short anywhere (a crash); the real grid's atomicity of
 * each single call is what the map gives. Reads return copies of mutable values ({@link EntityIndex}), as a grid's
 * reads do: a caller that changes what it read must not change what is stored.
 */
final class MapCaches {
    private MapCaches() {
    }

    @SuppressWarnings("unchecked")
    static <K> IgniteCache<K, Object> of(String name, Map<K, Object> store, Runnable beforeWrite) {
        return (IgniteCache<K, Object>) Proxy.newProxyInstance(IgniteCache.class.getClassLoader(),
            new Class<?>[] {IgniteCache.class}, (proxy, m, args) -> switch (m.getName()) {
                case "get" -> copy(store.get(args[0]));
                case "getAll" -> {
                    Map<Object, Object> out = new HashMap<>();
                    for (Object k : (Set<?>) args[0]) {
                        if (store.containsKey(k)) {
                            out.put(k, copy(store.get(k)));
                        }
                    }
                    yield out;
                }
                case "put" -> {
                    beforeWrite.run();
                    store.put((K) args[0], args[1]);
                    yield null;
                }
                case "putAll" -> {
                    beforeWrite.run();
                    store.putAll((Map<K, Object>) args[0]);
                    yield null;
                }
                case "remove" -> {
                    beforeWrite.run();
                    yield store.remove(args[0]) != null;
                }
                case "removeAll" -> {
                    beforeWrite.run();
                    store.keySet().removeAll((Set<?>) args[0]);
                    yield null;
                }
                case "invoke" -> {
                    beforeWrite.run();
                    yield invoke(store, (K) args[0], (EntryProcessor<K, Object, Object>) args[1]);
                }
                case "invokeAll" -> {
                    beforeWrite.run();
                    Map<K, EntryProcessorResult<Object>> out = new HashMap<>();
                    for (Map.Entry<K, EntryProcessor<K, Object, Object>> e
                        : ((Map<K, EntryProcessor<K, Object, Object>>) args[0]).entrySet()) {
                        Object r = invoke(store, e.getKey(), e.getValue());
                        out.put(e.getKey(), () -> r);
                    }
                    yield out;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString", "getName" -> name;
                default -> throw new UnsupportedOperationException(m.getName());
            });
    }

    private static Object copy(Object v) {
        if (v instanceof EntityIndex idx) {
            EntityIndex c = new EntityIndex();
            c.restore(idx.parts()); // the index replaces its arrays when it changes, never writes into them
            return c;
        }
        return v;
    }

    private static <K> Object invoke(Map<K, Object> store, K key, EntryProcessor<K, Object, Object> p) {
        Object[] value = {store.get(key)};
        boolean[] exists = {store.containsKey(key)};
        Object r = p.process(new MutableEntry<>() {
            @Override
            public boolean exists() {
                return exists[0];
            }

            @Override
            public void remove() {
                exists[0] = false;
                value[0] = null;
            }

            @Override
            public void setValue(Object v) {
                exists[0] = true;
                value[0] = v;
            }

            @Override
            public K getKey() {
                return key;
            }

            @Override
            public Object getValue() {
                return value[0];
            }

            @Override
            public <T> T unwrap(Class<T> c) {
                throw new UnsupportedOperationException();
            }
        });
        if (exists[0]) {
            store.put(key, value[0]);
        } else {
            store.remove(key);
        }
        return r;
    }

    /** A fault hook that never fails. */
    static Runnable never() {
        return () -> { };
    }

    /** A fault hook that fails the n-th mutating call from now (counting from 1) while {@code armed} says so. */
    static Runnable failing(Supplier<Integer> countdown) {
        return () -> {
            Integer left = countdown.get();
            if (left != null && left == 0) {
                throw new SimulatedCrash();
            }
        };
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }
}
