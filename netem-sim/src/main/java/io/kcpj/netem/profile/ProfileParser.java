package io.kcpj.netem.profile;

import io.kcpj.netem.Direction;
import io.kcpj.netem.delay.DelayModel;
import io.kcpj.netem.delay.Distribution;
import io.kcpj.netem.delay.JitterMode;
import io.kcpj.netem.delay.Reorder;
import io.kcpj.netem.loss.LossModel;
import io.kcpj.netem.loss.NoLoss;
import io.kcpj.netem.rate.QueueLimit;
import io.kcpj.netem.rate.RateLimit;
import io.kcpj.netem.time.TimeUnits;
import io.kcpj.netem.timeline.Blackout;
import io.kcpj.netem.timeline.DelayChange;
import io.kcpj.netem.timeline.LossChange;
import io.kcpj.netem.timeline.Rebind;
import io.kcpj.netem.timeline.Scope;
import io.kcpj.netem.timeline.Timeline;
import io.kcpj.netem.timeline.TimelineEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the profile text forms (documented in full in {@code netem-sim/PROFILES.md}).
 *
 * <p><b>Compact form:</b> comma-separated {@code key=value} tokens applied left to right (a later
 * token overrides an earlier one), e.g. {@code
 * delay=100ms,jitter=20ms,loss=ge:0.01:0.3,rate=1mbit,queue=64kib}. A key without prefix sets both
 * directions; {@code up.KEY} sets A→B (client to server) only, {@code down.KEY} B→A only. A bare
 * preset name, or {@code preset=NAME}, starts from that preset (put it first).
 *
 * <p><b>File form:</b> the same tokens, one or more per line ({@code key = value} with optional
 * spaces), {@code #} starts a comment, blank lines are ignored.
 *
 * <p>Keys (per direction): {@code delay} (mean, e.g. 100ms), {@code jitter} (spread), {@code dist}
 * (uniform|normal|pareto|paretonormal; uniform by default), {@code fifo} (on|off: whether jitter
 * keeps order; off by default, as netem), {@code loss} (see {@link Values#LOSS}), {@code reorder}
 * (P[:GAP]), {@code duplicate} (P), {@code corrupt} (P), {@code rate} (e.g. 1mbit), {@code
 * overhead} (bytes per packet for the rate), {@code queue} (100p, 64kib, 100p:64kib or none),
 * {@code mtu} (drop packets longer than this many bytes). Sizes, rates and durations follow {@link
 * Quantities}. Timeline keys (repeatable): {@code blackout=AT+FOR}, {@code
 * delay-step=AT[+FOR]:DELAY[:JITTER[:DIST]]}, {@code loss-step=AT[+FOR]:LOSS}, {@code
 * rebind=AT[@IP:PORT]}; without {@code +FOR} a step lasts forever.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message names the bad token and what would
 * be valid, e.g. {@code unknown key 'jiter' in 'jiter=20ms'; valid keys: delay, jitter, ... (did
 * you mean 'jitter'?)}. No state; thread-safe.
 */
public final class ProfileParser {

  private static final List<String> KEYS =
      List.of(
          "delay",
          "jitter",
          "dist",
          "fifo",
          "loss",
          "reorder",
          "duplicate",
          "corrupt",
          "rate",
          "overhead",
          "queue",
          "mtu",
          "blackout",
          "delay-step",
          "loss-step",
          "rebind",
          "preset");

  private ProfileParser() {}

  /** Parses the compact form. */
  public static Profile parseCompact(String text) {
    Draft draft = new Draft(text.trim());
    for (String token : text.split(",", -1)) {
      String t = token.trim();
      if (!t.isEmpty()) {
        draft.apply(t);
      }
    }
    return draft.build();
  }

  /** Parses a profile file (UTF-8). */
  public static Profile parseFile(Path file) throws IOException {
    return parseLines(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses the lines of a profile file; {@code sourceName} prefixes error messages. */
  public static Profile parseLines(List<String> lines, String sourceName) {
    Draft draft = new Draft(sourceName);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      for (String token : line.split(",", -1)) {
        String t = token.trim().replaceAll("\\s*=\\s*", "=");
        if (t.isEmpty()) {
          continue;
        }
        try {
          draft.apply(t);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(sourceName + ":" + (i + 1) + ": " + e.getMessage(), e);
        }
      }
    }
    return draft.build();
  }

  /** The timeline in compact tokens (used by {@link Profile#toSpec()}). */
  static List<String> timelineTokens(Timeline timeline) {
    List<String> out = new ArrayList<>();
    for (TimelineEvent e : timeline.events()) {
      String prefix = e.scope() == Scope.BOTH ? "" : e.scope() == Scope.UP ? "up." : "down.";
      String when =
          TimeUnits.format(e.atNanos())
              + (e.durationNanos() == TimelineEvent.FOREVER || e instanceof Rebind
                  ? ""
                  : "+" + TimeUnits.format(e.durationNanos()));
      if (e instanceof Blackout) {
        out.add(prefix + "blackout=" + when);
      } else if (e instanceof DelayChange) {
        DelayModel d = ((DelayChange) e).delay();
        String v = TimeUnits.format(d.meanNanos());
        if (d.spreadNanos() > 0) {
          v += ":" + TimeUnits.format(d.spreadNanos());
          if (d.distribution() != Distribution.UNIFORM) {
            v += ":" + d.distribution().specName();
          }
        }
        out.add(prefix + "delay-step=" + when + ":" + v);
      } else if (e instanceof LossChange) {
        out.add(prefix + "loss-step=" + when + ":" + ((LossChange) e).loss().toSpec());
      } else if (e instanceof Rebind) {
        Rebind r = (Rebind) e;
        String addr = r.newAddress() == null ? "" : "@" + formatAddress(r.newAddress());
        out.add(prefix + "rebind=" + when + addr);
      }
    }
    return out;
  }

  private static String formatAddress(java.net.InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The profile being built, one direction draft each. */
  private static final class Draft {
    private final String source;
    private DirectionDraft up = new DirectionDraft(DirectionProfile.ideal());
    private DirectionDraft down = new DirectionDraft(DirectionProfile.ideal());
    private Timeline.Builder timeline = Timeline.builder();
    private String presetName;
    private boolean modifiedAfterPreset;

    Draft(String source) {
      this.source = source;
    }

    void apply(String token) {
      int eq = token.indexOf('=');
      if (eq < 0) {
        if (Presets.contains(token)) {
          preset(token);
          return;
        }
        throw new IllegalArgumentException(
            "missing '=' in '"
                + token
                + "': expected key=value "
                + "(valid keys: "
                + String.join(", ", KEYS)
                + ") or a preset name ("
                + String.join(", ", Presets.names())
                + ")");
      }
      String fullKey = token.substring(0, eq).trim();
      String value = token.substring(eq + 1).trim();
      Scope scope = Scope.BOTH;
      String key = fullKey;
      int dot = fullKey.indexOf('.');
      if (dot >= 0) {
        String prefix = fullKey.substring(0, dot);
        key = fullKey.substring(dot + 1);
        if (prefix.equals("up")) {
          scope = Scope.UP;
        } else if (prefix.equals("down")) {
          scope = Scope.DOWN;
        } else {
          throw new IllegalArgumentException(
              "unknown direction '"
                  + prefix
                  + "' in '"
                  + token
                  + "'; valid prefixes: up. (A to B, client to server), down. (B to A), or none"
                  + " (both directions)");
        }
      }
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key '"
                + key
                + "' in '"
                + token
                + "'; valid keys: "
                + String.join(", ", KEYS)
                + " (prefix with up. or down. for one direction)"
                + suggestion(key));
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("missing value in '" + token + "'");
      }
      try {
        if (key.equals("preset")) {
          if (scope != Scope.BOTH) {
            throw new Values.BadValue("a preset for both directions: write preset=NAME, no prefix");
          }
          if (!Presets.contains(value)) {
            throw new Values.BadValue("a preset name (" + String.join(", ", Presets.names()) + ")");
          }
          preset(value);
          return;
        }
        modifiedAfterPreset = true;
        if (isTimelineKey(key)) {
          timeline.add(timelineEvent(key, value, scope));
          return;
        }
        if (scope.includes(Direction.A_TO_B)) {
          up.set(key, value);
        }
        if (scope.includes(Direction.B_TO_A)) {
          down.set(key, value);
        }
      } catch (Values.BadValue e) {
        throw new IllegalArgumentException(
            "bad value '"
                + value
                + "' for "
                + key
                + " in '"
                + token
                + "': expected "
                + e.getMessage());
      }
    }

    /** One direction's profile; an inconsistency names the profile and the direction. */
    private DirectionProfile direction(DirectionDraft draft, String name) {
      try {
        return draft.build();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "inconsistent profile '" + source + "' (" + name + "): " + e.getMessage(), e);
      }
    }

    private void preset(String name) {
      Profile p = Presets.get(name);
      up = new DirectionDraft(p.up());
      down = new DirectionDraft(p.down());
      timeline = p.timeline().toBuilder();
      presetName = name;
      modifiedAfterPreset = false;
    }

    Profile build() {
      Profile.Builder b = Profile.builder();
      b.up(direction(up, "up")).down(direction(down, "down"));
      try {
        b.timeline(timeline.build());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "inconsistent profile '" + source + "': " + e.getMessage(), e);
      }
      if (presetName != null && !modifiedAfterPreset) {
        Profile p = Presets.get(presetName);
        return b.name(p.name()).source(p.source()).build();
      }
      return b.name("custom").source(source).build();
    }
  }

  private static boolean isTimelineKey(String key) {
    return key.equals("blackout")
        || key.equals("delay-step")
        || key.equals("loss-step")
        || key.equals("rebind");
  }

  private static TimelineEvent timelineEvent(String key, String value, Scope scope)
      throws Values.BadValue {
    switch (key) {
      case "blackout":
        {
          int plus = value.indexOf('+');
          if (plus < 0) {
            throw new Values.BadValue("AT+FOR, such as 10s+3s (a blackout needs a duration)");
          }
          long at = Values.duration(value.substring(0, plus));
          long duration = Values.duration(value.substring(plus + 1));
          if (duration == 0) {
            throw new Values.BadValue("AT+FOR with FOR above 0, such as 10s+3s");
          }
          return new Blackout(scope, at, duration);
        }
      case "rebind":
        {
          int atSign = value.indexOf('@');
          String when = atSign < 0 ? value : value.substring(0, atSign);
          long at = Values.duration(when);
          return new Rebind(
              scope, at, atSign < 0 ? null : Values.address(value.substring(atSign + 1)));
        }
      case "delay-step":
      case "loss-step":
        {
          int colon = value.indexOf(':');
          String form =
              key.equals("delay-step")
                  ? "AT[+FOR]:DELAY[:JITTER[:DIST]], such as 20s+5s:300ms"
                  : "AT[+FOR]:LOSS, such as 30s+5s:ge:0.1:0.3";
          if (colon < 0) {
            throw new Values.BadValue(form);
          }
          String when = value.substring(0, colon);
          String what = value.substring(colon + 1);
          int plus = when.indexOf('+');
          long at = Values.duration(plus < 0 ? when : when.substring(0, plus));
          long duration =
              plus < 0 ? TimelineEvent.FOREVER : Values.duration(when.substring(plus + 1));
          if (key.equals("loss-step")) {
            return new LossChange(scope, at, duration, Values.loss(what));
          }
          String[] parts = what.split(":", -1);
          if (parts.length > 3) {
            throw new Values.BadValue(form);
          }
          long mean = Values.duration(parts[0]);
          long jitter = parts.length > 1 ? Values.duration(parts[1]) : 0;
          Distribution dist =
              parts.length > 2 ? Values.distribution(parts[2]) : Distribution.UNIFORM;
          return new DelayChange(scope, at, duration, DelayModel.of(mean, jitter, dist));
        }
      default:
        throw new AssertionError(key);
    }
  }

  private static String suggestion(String key) {
    String best = null;
    int bestDistance = 3;
    for (String k : KEYS) {
      int d = editDistance(key, k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** One direction's values while parsing. */
  private static final class DirectionDraft {
    long delayMean;
    long jitter;
    Distribution dist;
    boolean fifo;
    LossModel loss;
    Reorder reorder;
    double duplicate;
    double corrupt;
    long rate;
    int overhead;
    QueueLimit queue;
    int mtu;

    DirectionDraft(DirectionProfile p) {
      delayMean = p.delay().meanNanos();
      jitter = p.delay().spreadNanos();
      dist = p.delay().spreadNanos() > 0 ? p.delay().distribution() : null;
      fifo = p.jitterMode() == JitterMode.FIFO;
      loss = p.loss();
      reorder = p.reorder();
      duplicate = p.duplicate();
      corrupt = p.corrupt();
      rate = p.rate() == null ? 0 : p.rate().bitsPerSecond();
      overhead = p.rate() == null ? 0 : p.rate().overheadBytes();
      queue = p.queue();
      mtu = p.maxPacketSize();
    }

    void set(String key, String value) throws Values.BadValue {
      switch (key) {
        case "delay":
          delayMean = Values.duration(value);
          break;
        case "jitter":
          jitter = Values.duration(value);
          break;
        case "dist":
          dist = Values.distribution(value);
          break;
        case "fifo":
          fifo = Values.onOff(value);
          break;
        case "loss":
          loss = Values.loss(value);
          break;
        case "reorder":
          {
            if (value.equalsIgnoreCase("none")) {
              reorder = null;
              break;
            }
            String[] parts = value.split(":", -1);
            if (parts.length > 2) {
              throw new Values.BadValue("PROBABILITY[:GAP], such as 25%:5");
            }
            double p = Values.probability(parts[0]);
            int gap = parts.length > 1 ? Values.nonNegativeInt(parts[1], "a gap >= 1") : 1;
            if (gap < 1) {
              throw new Values.BadValue("PROBABILITY[:GAP] with a gap >= 1");
            }
            reorder = p == 0 ? null : Reorder.of(p, gap);
            break;
          }
        case "duplicate":
          duplicate = Values.probability(value);
          break;
        case "corrupt":
          corrupt = Values.probability(value);
          break;
        case "rate":
          rate = value.equalsIgnoreCase("none") ? 0 : Values.rate(value);
          break;
        case "overhead":
          overhead = Values.intBytes(value);
          break;
        case "queue":
          queue = Values.queue(value);
          break;
        case "mtu":
          mtu = value.equalsIgnoreCase("none") ? 0 : Values.intBytes(value);
          break;
        default:
          throw new AssertionError(key);
      }
    }

    DirectionProfile build() {
      if (overhead > 0 && rate == 0) {
        throw new IllegalArgumentException("overhead=" + overhead + " needs a rate");
      }
      RateLimit r = rate == 0 ? null : RateLimit.bitsPerSecond(rate).withOverhead(overhead);
      return DirectionProfile.builder()
          .delay(DelayModel.of(delayMean, jitter, dist == null ? Distribution.UNIFORM : dist))
          .jitterMode(fifo ? JitterMode.FIFO : JitterMode.REORDER)
          .loss(loss == null ? NoLoss.INSTANCE : loss)
          .reorder(reorder)
          .duplicate(duplicate)
          .corrupt(corrupt)
          .rate(r)
          .queue(queue)
          .maxPacketSize(mtu)
          .build();
    }
  }
}
