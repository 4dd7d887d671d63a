package app.backbone.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Fires calls from threads released at one instant, for tests of concurrency claims. */
public final class Concurrently {

    private Concurrently() {
    }

    /** The same call from {@code n} threads at once; one result per thread. */
    public static <T> List<T> run(int n, Callable<T> call) throws Exception {
        return all(Collections.nCopies(n, call));
    }

    /** Each call on a thread of its own, all released at once; the results in the order of the calls. */
    public static <T> List<T> all(List<? extends Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
