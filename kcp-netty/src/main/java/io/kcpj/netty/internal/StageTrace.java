package io.kcpj.netty.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A diagnostic timeline of messages through the codec and its callers: {@code System.nanoTime()} at
 * numbered stages (client write, engine send, datagram handed to Netty, flushed, read, engine
 * input, delivered, ...), written to a file when the JVM exits. For finding where a message's
 * latency goes ({@code bench/peers/RESULTS.md}, run 9); not a product feature and not API (public
 * only for the bench perf tool, which marks its own stages).
 *
 * <p>Off unless the system property {@code kcpj.traceStages} names the output file: {@link #ON} is
 * a {@code static final} constant, so with it off the JIT removes every {@code if (StageTrace.ON)}
 * guarded call and the hot paths pay nothing. When on, each mark takes one slot of a fixed array
 * (no allocation; the first {@value #CAPACITY} marks are kept, later ones are dropped). The file
 * has one line per mark, {@code stage nanos}, in the order the slots were taken. The one
 * process-wide recorder is deliberate: a diagnostic that spans the codec, the engine's callers and
 * the perf tool's threads, and only exists when asked for.
 *
 * <p>Thread-safe: marks from any thread; {@code nanoTime} is comparable between processes on one
 * Linux machine (CLOCK_MONOTONIC), so a client's and a server's files can be merged.
 */
public final class StageTrace {
  /** The output file, or null: tracing is off. */
  private static final String FILE = System.getProperty("kcpj.traceStages");

  /** Whether tracing is on (the property is set). Guard every {@link #mark} with it. */
  public static final boolean ON = FILE != null && !FILE.isEmpty();

  /** Marks kept (later ones are dropped). */
  static final int CAPACITY = 1 << 21;

  // Stages in kcp-netty (the perf tool numbers its own from 20).
  /** A child channel's doWrite began (the pipeline's flush reached the engine). */
  public static final int CHILD_DO_WRITE = 1;

  /** The engine took the message (Kcp.send returned). */
  public static final int ENGINE_SENT = 2;

  /** A datagram was handed to the datagram channel's pipeline (ctx.write). */
  public static final int DATAGRAM_WRITTEN = 3;

  /** The datagram channel's flush returned (the datagrams are in the kernel). */
  public static final int PARENT_FLUSHED = 4;

  /** The codec got a datagram (channelRead). */
  public static final int DATAGRAM_READ = 5;

  /** The engine's input of it returned (before delivery). */
  public static final int ENGINE_INPUT = 6;

  /** The codec's channelReadComplete began (end of a read batch). */
  public static final int READ_COMPLETE = 7;

  /** The engine's flush began (update + flush). */
  public static final int ENGINE_FLUSH = 8;

  /** The flush task (a write outside a read batch: delivery, timers) began. */
  public static final int FLUSH_TASK = 9;

  /** A child's input began (the codec found the session). */
  public static final int CHILD_INPUT = 10;

  /** A message was taken from the engine, about to go up the child's pipeline. */
  public static final int MESSAGE_TAKEN = 11;

  private static final long[] NANOS = ON ? new long[CAPACITY] : null;
  private static final byte[] STAGES = ON ? new byte[CAPACITY] : null;
  private static final AtomicInteger NEXT = ON ? new AtomicInteger() : null;

  static {
    if (ON) {
      java.util.Arrays.fill(NANOS, 0L); // touch every page now: no page fault inside a mark
      java.util.Arrays.fill(STAGES, (byte) 0);
      Runtime.getRuntime().addShutdownHook(new Thread(StageTrace::dump, "kcpj-stage-trace"));
    }
  }

  private StageTrace() {}

  /**
   * Records {@code stage} (1 to 127) at {@code System.nanoTime()}; does nothing unless {@link #ON}
   * (callers test {@link #ON} first so that the call disappears when tracing is off).
   */
  public static void mark(int stage) {
    if (!ON || NEXT.get() >= CAPACITY) {
      return; // off, or full: the index stops growing (it never wraps to negative)
    }
    long now = System.nanoTime();
    int i = NEXT.getAndIncrement();
    if (kept(i)) {
      NANOS[i] = now;
      STAGES[i] = (byte) stage;
    }
  }

  /** Whether mark number {@code i} has a slot (never a negative index). */
  static boolean kept(int i) {
    return i >= 0 && i < CAPACITY;
  }

  private static void dump() {
    int n = Math.min(NEXT.get(), CAPACITY);
    try (PrintWriter w =
        new PrintWriter(Files.newBufferedWriter(Paths.get(FILE), StandardCharsets.US_ASCII))) {
      for (int i = 0; i < n; i++) {
        w.print(STAGES[i]);
        w.print(' ');
        w.println(NANOS[i]);
      }
    } catch (IOException e) {
      System.err.println("kcpj.traceStages: cannot write " + FILE + ": " + e);
    }
  }
}
