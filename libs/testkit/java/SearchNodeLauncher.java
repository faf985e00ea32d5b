import java.io.Closeable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one search node through a codelibs runner class (OpenSearchRunner or
 * ElasticsearchClusterRunner), named by the first argument; the other
 * arguments go to the runner's build(String...). Node settings come from the
 * config directory the caller passes as -confPath.
 *
 * The runners' own main() exits 1 on any failure without saying why; this one
 * prints the failure and its causes, then exits 1. SIGTERM closes the node
 * through a shutdown hook. The node's threads are daemons, so main() blocks
 * until then. Reflection keeps one launcher for both runners, which share
 * their method names but not their classes.
 */
public final class SearchNodeLauncher {
    private SearchNodeLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SearchNodeLauncher <runner class> [runner arguments...]");
            System.exit(2);
        }
        Class<?> runnerClass = Class.forName(args[0]);
        Closeable runner = (Closeable) runnerClass.getConstructor().newInstance();
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "search-node-shutdown"));
        // The runners refuse HTTP ports above 9299 unless the limit is lifted; the
        // caller has already picked a free port.
        runnerClass.getMethod("setMaxHttpPort", int.class).invoke(runner, -1);
        Method build = runnerClass.getMethod("build", String[].class);
        try {
            build.invoke(runner, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            System.err.println("search node failed to start:");
            e.getCause().printStackTrace();
            System.exit(1);
        }
        System.out.println("search node started");
        closed.await();
    }
}
