package io.kcpj.netem.tun;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs code inside a named network namespace (one made by {@code ip netns add}, such as a {@link
 * TunBridge}'s), either in this JVM on a dedicated thread or as a child process.
 *
 * <p><b>In this JVM:</b> Linux network namespaces belong to threads. {@link #call} and {@link
 * #threadFactory} give a fresh thread that first moves itself into the namespace with {@code
 * setns(2)} ({@code CLONE_NEWNET}) and then runs your code. A socket is bound to the namespace of
 * the thread that <em>creates</em> it, so create (and bind or connect) sockets inside the task;
 * once created, a socket stays in its namespace and may be used, and closed, from any thread.
 * Threads never leave the namespace and are never pooled with ordinary threads. Java's NIO channels
 * ({@code DatagramChannel.open()}, {@code SocketChannel.open()}) create their socket immediately;
 * {@code java.net.Socket} creates it lazily, at the first bind, connect or option.
 *
 * <p><b>As a child process:</b> {@link #command} prepares {@code ip netns exec NAME command…}; the
 * whole child process (for example another JVM) lives in the namespace.
 *
 * <p>Needs CAP_SYS_ADMIN (root). Stateless; any thread.
 */
public final class NetNamespace {

  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private NetNamespace() {}

  /**
   * Runs {@code task} on a new thread inside {@code namespace} and returns its result; the calling
   * thread waits. The task's exception, if any, is rethrown as it is.
   *
   * @throws TunException if the thread cannot enter the namespace
   * @throws InterruptedException if the caller is interrupted while waiting (the task thread is
   *     interrupted too)
   */
  public static <T> T call(String namespace, Callable<T> task) throws Exception {
    NamespaceNaming.checkName(namespace);
    Objects.requireNonNull(task, "task");
    FutureTask<T> future =
        new FutureTask<>(
            () -> {
              NamespaceEntry.enter(namespace);
              return task.call();
            });
    Thread thread =
        new Thread(future, "netns-" + namespace + "-" + THREAD_NUMBER.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
    try {
      return future.get();
    } catch (InterruptedException e) {
      thread.interrupt();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * A factory of daemon threads that enter {@code namespace} before running their task (for an
   * executor or event loop whose sockets must live in the namespace). If a thread cannot enter the
   * namespace it throws {@link TunException} and does not run the task.
   */
  public static ThreadFactory threadFactory(String namespace) {
    NamespaceNaming.checkName(namespace);
    return runnable -> {
      Objects.requireNonNull(runnable, "runnable");
      Thread thread =
          new Thread(
              () -> {
                NamespaceEntry.enter(namespace);
                runnable.run();
              },
              "netns-" + namespace + "-" + THREAD_NUMBER.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * A process builder for {@code ip netns exec namespace command…}. Nothing is started; adjust
   * redirections and the environment, then {@link ProcessBuilder#start()}.
   */
  public static ProcessBuilder command(String namespace, String... command) {
    NamespaceNaming.checkName(namespace);
    if (command.length == 0) {
      throw new IllegalArgumentException("empty command");
    }
    List<String> full =
        new ArrayList<>(List.of(TunPreflight.ipCommand(), "netns", "exec", namespace));
    full.addAll(Arrays.asList(command));
    return new ProcessBuilder(full);
  }
}
