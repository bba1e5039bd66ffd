package io.kcpj.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.core.KcpConfig;
import io.kcpj.netty.micrometer.KcpCodecMeterBinder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer binder exports the codec's metrics under the documented names and tags, and
 * kcp-netty works without Micrometer on the class path.
 */
class KcpCodecMeterBinderTest {
  EmbeddedKcp net;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.finish();
    }
    LeakCheck.assertNoLeaks();
  }

  @Test
  void theMetersShowTheCodecsMetrics() {
    KcpServerCodec codec =
        new KcpServerCodecBuilder()
            .config(KcpConfig.fast())
            .handler(new Recorder(true))
            .maxSessions(2)
            .build();
    net = new EmbeddedKcp(codec);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new KcpCodecMeterBinder(codec, Tags.of("codec", "test"), 0).bindTo(registry);

    TestPeer honest =
        net.peer(new TestPeer(KcpServerAdmissionTest.addr("10.0.0.1", 5000), 1, KcpConfig.fast()));
    honest.send("hello");
    net.step(20);
    for (int i = 0; i < 3; i++) { // the second and third evict the oldest unvalidated session
      net.inject(
          KcpServerAdmissionTest.addr("10.1.0." + i, 6000),
          KcpServerAdmissionTest.opening(9 + i, 4));
      net.step(1);
    }
    net.inject(KcpServerAdmissionTest.addr("10.2.0.1", 6000), new byte[7]); // malformed
    net.step(1);

    KcpCodecMetrics m = codec.metrics();
    assertEquals(2, m.sessionsOpen());
    assertEquals(2, m.sessionsEvicted());
    assertEquals(1, m.datagramsDropped(KcpDropReason.MALFORMED));
    assertEquals(1.0, gauge(registry, "kcpj.sessions", "state", "validated"));
    assertEquals(1.0, gauge(registry, "kcpj.sessions", "state", "unvalidated"));
    assertEquals(4.0, counter(registry, "kcpj.sessions.opened"));
    assertEquals(1.0, counter(registry, "kcpj.sessions.validations"));
    assertEquals(2.0, counter(registry, "kcpj.sessions.evicted"));
    for (KcpCloseReason r : KcpCloseReason.values()) {
      assertEquals(
          (double) m.sessionsClosed(r),
          counter(registry, "kcpj.sessions.closed", "reason", r.name().toLowerCase(Locale.ROOT)),
          r.name());
    }
    assertEquals(
        2.0, counter(registry, "kcpj.sessions.closed", "reason", "evicted"), "evictions counted");
    for (KcpDropReason r : KcpDropReason.values()) {
      assertEquals(
          (double) m.datagramsDropped(r),
          counter(registry, "kcpj.datagrams.dropped", "reason", r.name().toLowerCase(Locale.ROOT)),
          r.name());
    }
    assertEquals((double) m.datagramsIn(), counter(registry, "kcpj.datagrams.in"));
    assertEquals((double) m.datagramsOut(), counter(registry, "kcpj.datagrams.out"));
    assertTrue(m.datagramsIn() >= 5);
    assertEquals((double) m.datagramsWithheld(), counter(registry, "kcpj.datagrams.withheld"));
    assertEquals(0.0, counter(registry, "kcpj.session.failures"));
    assertEquals((double) m.bytesHeld(), gauge(registry, "kcpj.bytes.held"));
    assertEquals((double) m.memoryBudget(), gauge(registry, "kcpj.memory.budget"));
    assertTrue(m.memoryBudget() > 0);
    for (Meter meter : registry.getMeters()) {
      assertEquals("test", meter.getId().getTag("codec"), meter.getId().getName());
    }
  }

  @Test
  void aSnapshotIsReusedForMaxAgeAndKeptAfterTheEventLoopStops() {
    KcpServerCodec codec =
        new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Recorder(true)).build();
    net = new EmbeddedKcp(codec);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new KcpCodecMeterBinder(codec, Tags.empty(), 3_600_000).bindTo(registry);
    assertEquals(0.0, counter(registry, "kcpj.sessions.opened"));
    net.inject(KcpServerAdmissionTest.addr("10.1.0.1", 6000), KcpServerAdmissionTest.opening(9, 4));
    assertEquals(1, codec.metrics().sessionsOpened());
    assertEquals(0.0, counter(registry, "kcpj.sessions.opened"), "the snapshot is an hour old");
    assertThrows(
        IllegalArgumentException.class, () -> new KcpCodecMeterBinder(codec, Tags.empty(), -1));
  }

  /**
   * Micrometer holds a meter's state object weakly unless told otherwise: the binder, not kept by
   * the caller, must stay reachable through its meters, or every meter turns NaN after a GC.
   */
  @Test
  void theMetersKeepReadingAfterTheBinderIsDroppedAndCollected() {
    KcpServerCodec codec =
        new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Recorder(true)).build();
    net = new EmbeddedKcp(codec);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new KcpCodecMeterBinder(codec, Tags.empty(), 0).bindTo(registry); // no reference kept
    net.inject(KcpServerAdmissionTest.addr("10.1.0.1", 6000), KcpServerAdmissionTest.opening(9, 4));
    net.step(1);
    assertEquals(1, codec.metrics().sessionsOpened());
    assertTrue(collectGarbage(), "a GC ran (its canary was cleared)");
    assertEquals(1.0, counter(registry, "kcpj.sessions.opened"));
    assertEquals(1.0, gauge(registry, "kcpj.sessions", "state", "unvalidated"));
    assertEquals((double) codec.metrics().memoryBudget(), gauge(registry, "kcpj.memory.budget"));
  }

  /**
   * The registry keeps the binder and its codec alive until {@code close()} removes the binder's
   * meters (and only its own): then both can be collected.
   */
  @Test
  void closeRemovesTheBindersMetersAndLetsTheBinderAndCodecBeCollected() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KcpServerCodec kept =
        new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Recorder(true)).build();
    new KcpCodecMeterBinder(kept, Tags.of("codec", "kept"), 0).bindTo(registry);
    int keptMeters = registry.getMeters().size();
    KcpServerCodec codec =
        new KcpServerCodecBuilder().config(KcpConfig.fast()).handler(new Recorder(true)).build();
    KcpCodecMeterBinder binder = new KcpCodecMeterBinder(codec, Tags.of("codec", "closed"), 0);
    binder.bindTo(registry);
    assertEquals(2 * keptMeters, registry.getMeters().size());
    WeakReference<Object> codecRef = new WeakReference<>(codec);
    WeakReference<Object> binderRef = new WeakReference<>(binder);
    codec = null;
    binder = null;
    assertTrue(collectGarbage(), "a GC ran (its canary was cleared)");
    assertTrue(binderRef.get() != null && codecRef.get() != null, "the meters hold them");

    ((KcpCodecMeterBinder) binderRef.get()).close();
    for (Meter meter : registry.getMeters()) {
      assertEquals("kept", meter.getId().getTag("codec"), meter.getId().getName());
    }
    assertEquals(keptMeters, registry.getMeters().size(), "the other binder's meters stay");
    assertTrue(collectGarbage(), "a GC ran (its canary was cleared)");
    assertTrue(binderRef.get() == null, "the binder was collected");
    assertTrue(codecRef.get() == null, "the codec was collected");
    assertEquals(0.0, counter(registry, "kcpj.sessions.opened"), "the kept binder still reads");
  }

  /** Runs System.gc() until an object reachable only weakly was collected (at most 50 tries). */
  static boolean collectGarbage() {
    WeakReference<Object> canary = new WeakReference<>(new Object());
    for (int i = 0; i < 50 && canary.get() != null; i++) {
      System.gc();
    }
    if (canary.get() != null) {
      return false;
    }
    System.gc(); // one more full collection after the canary's
    return true;
  }

  @Test
  void kcpNettyWorksWithoutMicrometerOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    int removed = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.contains("micrometer")) {
        removed++;
      } else {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    assertTrue(removed > 0, "Micrometer was on the test class path");
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), sharedNetty())) {
      assertThrows(
          ClassNotFoundException.class,
          () -> Class.forName("io.micrometer.core.instrument.MeterRegistry", false, loader));
      Callable<?> probe =
          (Callable<?>)
              Class.forName(NoMicrometerProbe.class.getName(), true, loader)
                  .getConstructor()
                  .newInstance();
      assertEquals("[hello] 1", probe.call());
    }
  }

  /**
   * A parent loader that gives Netty's classes from this test's loader and nothing else. A second
   * copy of Netty would start its own leak-detector factory, which finds the {@link
   * CountingLeakDetector} named by the argLine through the system loader, sees it extend the other
   * copy's {@code ResourceLeakDetector}, and logs a SEVERE "does not inherit" error.
   */
  private static ClassLoader sharedNetty() {
    ClassLoader tests = KcpCodecMeterBinderTest.class.getClassLoader();
    return new ClassLoader(ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (name.startsWith("io.netty.")) {
          return tests.loadClass(name);
        }
        throw new ClassNotFoundException(name);
      }
    };
  }

  static double gauge(SimpleMeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).gauge().value();
  }

  static double counter(SimpleMeterRegistry r, String name, String... tags) {
    return r.get(name).tags(tags).functionCounter().count();
  }
}
