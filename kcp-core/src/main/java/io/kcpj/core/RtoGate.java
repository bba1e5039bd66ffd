package io.kcpj.core;

/**
 * The thin-stream mode's RTO gate: a finer RTO estimator kept beside ikcp's truncating one, and the
 * evidence that decides which of the two the engine's timers use (docs/latency.md, "An RTO
 * estimator gated by Eifel's evidence").
 *
 * <p>ikcp's estimator truncates srtt and rttvar to whole milliseconds at every sample, which on a
 * path whose RTT spreads over a few tens of milliseconds puts its RTO inside that spread: its
 * timers fire for segments whose ACKs are merely late. The finer estimator is RFC 6298's in the
 * fixed point TCP implementations use (srtt in eighths, 4 × rttvar with a quarter's resolution),
 * and its RTO is {@code srtt + max(interval, 4 × rttvar)}, kept within {@code minrto} and {@link
 * Kcp#RTO_MAX} as ikcp's is. It is used, never below ikcp's RTO, only while the gate is
 * <em>open</em>: while ACKs of first transmissions that came after ikcp's first timeout ("late":
 * that timer fired, or would have fired, for nothing) outnumber lost first transmissions {@value
 * #RATIO} to one, with at least {@value #MIN_LATE} late ones, counted over about the last 512–1,024
 * verdicts (the counts are halved when {@value #WINDOW} verdicts have been counted, which leaves
 * 512, so every 512 verdicts after the first halving). Late ACKs judged less than one {@code
 * interval} after the last late ACK that counted are one stall and count once. While the gate is
 * open the engine also lets an ACK wait up to {@code srtt / 2} instead of {@code srtt / 4} for data
 * to ride with.
 *
 * <p>Owned by one {@link Kcp}, and used only while that engine's thin-stream mode is on: the engine
 * feeds it every RTT sample and, for each segment whose first ACK it can judge, one verdict. The
 * engine decides what counts as late (ikcp's first timeout, from {@link #coarseRto()}) and keeps
 * its own copy of the RTO in use, refreshed from {@link #onRttSample} and whenever {@link #judge}
 * reports a flip. While the mode is off the gate's state is left as it is; switching the mode on
 * calls {@link #restart}. It does no I/O and reads no clock (the caller says when), and allocates
 * nothing. Times are the engine's 32-bit millisecond clock, compared wrap-safely.
 */
final class RtoGate {
  /** Verdicts counted before the counts are halved. */
  static final int WINDOW = 1024;

  /** Late first ACKs needed before the gate opens. */
  static final int MIN_LATE = 2;

  /** How many late first ACKs per lost first transmission keep the gate open. */
  static final int RATIO = 4;

  /** The RTO of ikcp's truncating estimator (the one in use unless the gate is open). */
  private int coarseRto;

  /** The finer estimator, kept as RFC 6298 implementations keep it: srtt × 8 and 4 × rttvar. */
  private int fineSrtt8;

  private int fineVar4;
  private int fineRto;

  /** Decaying counts of the verdicts: all, late first ACKs, lost first transmissions. */
  private int verdicts;

  private int late;
  private int lost;
  private boolean open;

  /** When the last late first ACK that counted was judged. */
  private int lateAt;

  private boolean lateSeen;

  /** A closed gate whose estimators both start at {@code initialRto}. */
  RtoGate(int initialRto) {
    coarseRto = initialRto;
    fineRto = initialRto;
  }

  /**
   * Starts over from ikcp's estimator as it is now ({@code rto}, {@code srtt}, {@code rttVar}): the
   * thin-stream mode was switched on. The evidence is forgotten and the gate is closed.
   */
  void restart(int rto, int srtt, int rttVar) {
    coarseRto = rto;
    fineRto = rto;
    fineSrtt8 = srtt << 3;
    fineVar4 = rttVar << 2;
    forgetEvidence();
  }

  /**
   * Forgets every verdict and closes the gate (the thin-stream mode was switched off, or {@link
   * #restart} starts over).
   */
  void forgetEvidence() {
    verdicts = 0;
    late = 0;
    lost = 0;
    lateSeen = false;
    open = false;
  }

  /**
   * One RTT sample, after which ikcp's estimator set its RTO to {@code ikcpRto}; the finer
   * estimator takes the same sample.
   *
   * @return the RTO the engine's timers use now
   */
  int onRttSample(int rtt, int ikcpRto, int interval, int minRto) {
    coarseRto = ikcpRto;
    if (fineSrtt8 == 0) {
      fineSrtt8 = Math.max(rtt, 1) << 3;
      fineVar4 = rtt << 1;
    } else {
      int err = rtt - (fineSrtt8 >> 3);
      fineSrtt8 = Math.max(fineSrtt8 + err, 8);
      fineVar4 += Math.abs(err) - (fineVar4 >> 2);
    }
    int candidate = ((fineSrtt8 + 4) >> 3) + Math.max(interval, fineVar4);
    fineRto = Math.min(Math.max(minRto, candidate), Kcp.RTO_MAX);
    return rtoInUse();
  }

  /**
   * One verdict, from the first ACK seen of a segment: its first transmission was {@code lost} (the
   * ACK echoes a later send), or its ACK came {@code late}, or neither (in time).
   *
   * @param now the engine's clock when the ACK was judged
   * @param interval the engine's flush interval (ms): late ACKs closer together are one stall
   * @return whether the gate opened or closed: the caller then takes {@link #rtoInUse()} again
   *     (which may be the same value, when the finer RTO is not above ikcp's)
   */
  boolean judge(boolean lost, boolean late, int now, int interval) {
    if (lost) {
      this.lost++;
    } else if (late) {
      countLate(now, interval);
    }
    if (++verdicts >= WINDOW) {
      verdicts >>= 1;
      this.late >>= 1;
      this.lost >>= 1;
    }
    boolean nowOpen = this.late >= MIN_LATE && this.late >= RATIO * this.lost;
    if (nowOpen == open) {
      return false;
    }
    open = nowOpen;
    return true;
  }

  /**
   * Counts a late first ACK unless another was counted less than one {@code interval} before {@code
   * now}: late ACKs judged that close together come from one stall (the peer's, whose held-up ACKs
   * arrive in one datagram, or this side's, whose input reads them in one batch), so they are one
   * piece of evidence, not several. A clock that stepped back counts anew.
   */
  private void countLate(int now, int interval) {
    int since = Seq.diff(now, lateAt);
    if (lateSeen && since >= 0 && since < interval) {
      return;
    }
    lateSeen = true;
    lateAt = now;
    late++;
  }

  /**
   * The RTO the engine's timers use: while the gate is open the finer estimator's, but never below
   * ikcp's (when the RTT rises slowly, ikcp's truncated srtt lags below it and its rttvar stays up,
   * so the finer RTO can end below ikcp's; the gate exists to let a timer fire later than ikcp's,
   * never earlier); while it is closed, ikcp's.
   */
  int rtoInUse() {
    return open ? Math.max(fineRto, coarseRto) : coarseRto;
  }

  /** The RTO of ikcp's truncating estimator, whose first timeout decides what is late. */
  int coarseRto() {
    return coarseRto;
  }

  /** Whether the finer estimator (and the longer ACK hold) are in use. */
  boolean isOpen() {
    return open;
  }
}
