package io.kcpj.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kcpj.bench.report.RunResult;
import io.kcpj.netem.profile.Profile;
import org.junit.jupiter.api.Test;

/**
 * The virtual-time run drives its engines either as kcp-netty does ({@code Kcp.advance}, flush
 * after send and input) or as the C reference's test loop does ({@code update} at {@code check}).
 */
class VirtualKcpRunTest {
  static final Workload GAME = Workload.game(20, 64, 5_000);

  @Test
  void theEagerDriverAnswersWithoutWaitingForTheIntervalAndTheReferenceLoopDoesNot() {
    // 50 ms each way, no loss, classic (interval 100 ms): an eager echo takes one round trip.
    Profile clean = Profile.parse("delay=50ms");
    KcpTransport classic = KcpTransport.preset("classic");
    RunResult eager = new VirtualKcpRun(clean, classic, GAME, 1).run();
    RunResult reference = new VirtualKcpRun(clean, classic.withEager(false), GAME, 1).run();
    assertEquals(eager.messagesSent(), eager.messagesEchoed());
    assertEquals(reference.messagesSent(), reference.messagesEchoed());
    assertTrue(eager.rttMillisAt(50) < 105, "eager p50 " + eager.rttMillisAt(50));
    assertTrue(reference.rttMillisAt(50) > 150, "reference-loop p50 " + reference.rttMillisAt(50));
  }

  @Test
  void theEagerDriverSleepsUntilTheEnginesDeadlinesInsteadOfPollingEveryInterval() {
    // One message a second for 10 s on a clean link, classic (interval 100 ms): between messages
    // nothing is in flight, so Kcp.advance returns NO_EVENT and the driver is not woken at all;
    // the reference loop wakes each engine every 100 ms.
    Profile clean = Profile.parse("delay=20ms");
    Workload slow = Workload.game(1, 64, 10_000);
    KcpTransport classic = KcpTransport.preset("classic");
    VirtualKcpRun eager = new VirtualKcpRun(clean, classic, slow, 1);
    VirtualKcpRun reference = new VirtualKcpRun(clean, classic.withEager(false), slow, 1);
    RunResult e = eager.run();
    RunResult r = reference.run();
    assertEquals(e.messagesSent(), e.messagesEchoed());
    assertEquals(r.messagesSent(), r.messagesEchoed());
    assertTrue(eager.timerWakeUps() < 30, "eager timer wake-ups " + eager.timerWakeUps());
    assertTrue(reference.timerWakeUps() > 150, "reference wake-ups " + reference.timerWakeUps());
  }

  @Test
  void anEagerEngineTakesItsRttSampleAtTheArrivalTime() {
    // One message a second, 60 ms each way, no loss. The eager driver sleeps between messages, so
    // the engine's clock must be brought to the arrival time before input (as kcp-netty does):
    // with a stale clock the first ACK measures ~0 ms, the RTO falls to its 100 ms floor and every
    // later message is retransmitted before its 120 ms echo arrives.
    Profile clean = Profile.parse("delay=60ms");
    RunResult r =
        new VirtualKcpRun(clean, KcpTransport.preset("classic"), Workload.game(1, 64, 10_000), 1)
            .run();
    assertEquals(r.messagesSent(), r.messagesEchoed());
    assertEquals(0, r.retransmits(), "no spurious retransmission on a clean link");
  }

  @Test
  void onALossyLinkEveryEchoArrivesAndABulkTransferCompletes() {
    Profile lossy = Profile.parse("delay=40ms,jitter=10ms,loss=5%");
    KcpTransport fast = KcpTransport.preset("fast");
    RunResult game = new VirtualKcpRun(lossy, fast, GAME, 3).run();
    assertEquals(game.messagesSent(), game.messagesEchoed(), "every echo, lost datagrams resent");
    assertTrue(game.retransmits() > 0, "the link lost something");
    RunResult bulk = new VirtualKcpRun(lossy, fast, Workload.bulk(2_000_000), 3).run();
    assertEquals(1, bulk.messagesEchoed(), "the bulk transfer completed: " + bulk.note());
  }
}
