package io.kcpj.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The plain-language answer a report starts with, per profile: which transport to pick and why.
 *
 * <p>The rule (stated in every report):
 *
 * <ol>
 *   <li>Contenders are the rows other than {@code floor} whose p99 is finite (at most 1 % of their
 *       messages undelivered).
 *   <li>The leader has the lowest p99 excess over the floor (the lowest p99 without a floor row).
 *   <li>Contenders whose p99 95 % interval overlaps the leader's are <em>within noise</em> of it.
 *   <li>Among the leader and those within noise, the pick is the one with the fewest wire bytes per
 *       goodput byte: the tail is as good on this evidence, so the cheaper one wins.
 * </ol>
 *
 * Immutable.
 */
public record Verdict(String profile, String pick, String sentence, List<String> details) {
  /** The rule above, for the reports. */
  public static final String RULE =
      "Contenders are the rows other than floor whose p99 is finite (at most 1 % undelivered). The"
          + " leader has the lowest p99 excess over the floor. Contenders whose p99 95 % interval"
          + " overlaps the leader's are within noise of it; among them the pick is the one with"
          + " the fewest wire bytes per goodput byte.";

  /** The verdict for one profile's rows. */
  public static Verdict of(String profile, List<Row> rows) {
    List<Row> contenders = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (Row r : rows) {
      if (r.isFloorRow()) {
        continue;
      }
      if (r.latency().count() == 0) {
        details.add(r.transport() + ": no samples.");
      } else if (Double.isInfinite(r.at(99))) {
        details.add(
            String.format(
                Locale.ROOT,
                "%s: p99 ∞ — %d of %d messages (%.1f %%) never echoed.",
                r.transport(),
                r.latency().undelivered(),
                r.latency().count(),
                100.0 * r.latency().undelivered() / r.latency().count()));
      } else {
        contenders.add(r);
      }
    }
    if (contenders.isEmpty()) {
      return new Verdict(
          profile,
          "none",
          "none: every transport left more than 1 % of its messages undelivered.",
          details);
    }
    Comparator<Row> byTail = Comparator.comparingDouble(Verdict::tail);
    Row leader = contenders.stream().min(byTail).orElseThrow();
    List<Row> tied = new ArrayList<>();
    for (Row r : contenders) {
      if (r == leader || r.p99().overlaps(leader.p99())) {
        tied.add(r);
      }
    }
    Row pick =
        tied.stream()
            .min(
                Comparator.comparingDouble((Row r) -> r.result().overhead())
                    .thenComparingDouble(Verdict::tail))
            .orElseThrow();
    StringBuilder s = new StringBuilder(pick.transport()).append(": ");
    s.append(figures(pick));
    List<String> others = new ArrayList<>();
    for (Row r : tied) {
      if (r != pick) {
        others.add(r.transport());
      }
    }
    if (others.isEmpty()) {
      s.append(" — the lowest tail, clear of the others' intervals.");
    } else if (pick == leader) {
      s.append(" — the lowest tail; ")
          .append(String.join(", ", others))
          .append(others.size() == 1 ? " is" : " are")
          .append(" within noise but cost more bytes.");
    } else {
      s.append(" — within noise of ")
          .append(leader.transport())
          .append("'s tail (p99 intervals overlap) at fewer bytes.");
    }
    if (pick.isBaseline()) {
      s.append(
          pick == leader
              ? " No KCP mode beats TCP's tail here."
              : " No KCP mode beats TCP's tail by more than the noise here.");
    }
    for (Row r : contenders) {
      if (r != pick) {
        details.add(r.transport() + ": " + figures(r) + ".");
      }
    }
    return new Verdict(profile, pick.transport(), s.toString(), details);
  }

  /** The verdicts of every profile of a report. */
  public static List<Verdict> of(ReportModel model) {
    List<Verdict> vs = new ArrayList<>();
    for (var e : model.byProfile().entrySet()) {
      vs.add(of(e.getKey(), e.getValue()));
    }
    return vs;
  }

  /** The figure a row is ranked by: p99 excess, or p99 without a floor. */
  static double tail(Row r) {
    double e = r.p99Excess();
    return Double.isNaN(e) ? r.at(99) : e;
  }

  /** A row's key figures in words: ratios to the baseline if there is one, else absolute. */
  static String figures(Row r) {
    if (r.baseline() != null && !r.isBaseline()) {
      Interval p = r.p99ExcessVsBaseline();
      Interval m = r.meanExcessVsBaseline();
      String what = r.floor() != null ? "excess" : "";
      return String.format(
              Locale.ROOT,
              "p99 %s %s TCP's [%s], mean %s %s TCP's [%s], at %s TCP's bytes",
              what,
              Figures.ratio(p.estimate()),
              p.boundsText("%.2f"),
              what,
              Figures.ratio(m.estimate()),
              m.boundsText("%.2f"),
              Figures.ratio(r.wireVsBaseline()))
          .replace("  ", " ");
    }
    if (r.floor() != null) {
      return String.format(
          Locale.ROOT,
          "p99 excess %s ms [%s] over the floor's p99 %s ms, mean excess %s ms, %s wire bytes"
              + " per goodput byte",
          Figures.ms(r.p99Excess()),
          r.p99ExcessRange().boundsText("%.1f"),
          Figures.ms(r.floor().rttMillisAt(99)),
          Figures.ms(r.meanExcess()),
          Figures.text(r.result().overhead(), "%.2f"));
    }
    return String.format(
        Locale.ROOT,
        "p99 %s ms [%s], mean %s ms, %s wire bytes per goodput byte",
        Figures.ms(r.at(99)),
        r.p99().boundsText("%.1f"),
        Figures.ms(r.result().meanRttMillis()),
        Figures.text(r.result().overhead(), "%.2f"));
  }
}
