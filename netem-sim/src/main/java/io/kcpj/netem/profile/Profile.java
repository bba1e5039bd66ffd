package io.kcpj.netem.profile;

import io.kcpj.netem.Direction;
import io.kcpj.netem.timeline.Timeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A complete link configuration: the impairments of each direction ({@link #up()} = A→B, client to
 * server; {@link #down()} = B→A) and a {@link Timeline} of scripted events.
 *
 * <p>Three ways to get one:
 *
 * <ul>
 *   <li>{@link #named(String)}: a preset listed in {@code netem-sim/PROFILES.md} (see {@link
 *       Presets});
 *   <li>{@link #parse(String)}: the compact text form, e.g. {@code
 *       delay=100ms,jitter=20ms,loss=ge:0.01:0.3,rate=1mbit,queue=64kib} (see {@link ProfileParser}
 *       and {@code netem-sim/PROFILES.md});
 *   <li>{@link #parseFile(Path)}: the same keys, one per line, {@code #} comments.
 * </ul>
 *
 * {@link #resolve(String)} accepts any of the three (a file as {@code @path}). Bad text gives an
 * {@link IllegalArgumentException} naming the bad token and what would be valid.
 *
 * <p>Immutable and thread-safe.
 */
public final class Profile {
  private static final Profile IDEAL = new Builder().name("ideal").source("no impairment").build();

  private final String name;
  private final String source;
  private final DirectionProfile up;
  private final DirectionProfile down;
  private final Timeline timeline;

  private Profile(Builder b) {
    this.name = b.name;
    this.source = b.source;
    this.up = b.up;
    this.down = b.down;
    this.timeline = b.timeline;
  }

  /** A builder: both directions ideal, no timeline. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this profile. */
  public Builder toBuilder() {
    return new Builder().name(name).source(source).up(up).down(down).timeline(timeline);
  }

  /** No impairment in either direction. */
  public static Profile ideal() {
    return IDEAL;
  }

  /** The same impairments in both directions, no timeline. */
  public static Profile symmetric(DirectionProfile both) {
    return new Builder().both(both).build();
  }

  /**
   * The preset called {@code name} (see {@link Presets} for the list and their sources).
   *
   * @throws IllegalArgumentException naming the valid presets if there is none by that name
   */
  public static Profile named(String name) {
    return Presets.get(name);
  }

  /** The names of every preset, in PROFILES.md's order. */
  public static List<String> presetNames() {
    return Presets.names();
  }

  /**
   * Parses the compact text form (comma-separated {@code key=value} tokens; see {@link
   * ProfileParser}).
   *
   * @throws IllegalArgumentException naming the bad token and what would be valid
   */
  public static Profile parse(String text) {
    return ProfileParser.parseCompact(text);
  }

  /**
   * Reads a profile file: one {@code key = value} per line, {@code #} starts a comment (see {@link
   * ProfileParser}).
   *
   * @throws IllegalArgumentException naming the file, line and bad token
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Profile parseFile(Path file) {
    try {
      return ProfileParser.parseFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read profile file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A preset name, {@code @path} of a profile file, or compact text, in that order of checks.
   *
   * @throws IllegalArgumentException if it is none of them (the message lists the presets)
   */
  public static Profile resolve(String spec) {
    Objects.requireNonNull(spec, "spec");
    String s = spec.trim();
    if (s.startsWith("@")) {
      return parseFile(Path.of(s.substring(1)));
    }
    if (Presets.contains(s)) {
      return Presets.get(s);
    }
    if (s.indexOf('=') >= 0) {
      return parse(s);
    }
    throw new IllegalArgumentException(
        "unknown profile '"
            + s
            + "'; use a preset ("
            + String.join(", ", Presets.names())
            + "), compact text such as "
            + "'delay=100ms,loss=1%', or @file");
  }

  /** The preset name, or {@code "custom"}. */
  public String name() {
    return name;
  }

  /** Where the values come from (a preset's source; {@code "custom"} otherwise). */
  public String source() {
    return source;
  }

  /** The A→B (client to server) direction. */
  public DirectionProfile up() {
    return up;
  }

  /** The B→A (server to client) direction. */
  public DirectionProfile down() {
    return down;
  }

  /** The impairments of {@code direction}. */
  public DirectionProfile direction(Direction direction) {
    return direction == Direction.A_TO_B ? up : down;
  }

  /** The scripted events. */
  public Timeline timeline() {
    return timeline;
  }

  /** This profile in the compact text form; {@link #parse(String)} gives back an equal profile. */
  public String toSpec() {
    List<String> tokens = new ArrayList<>();
    if (up.equals(down)) {
      tokens.addAll(up.toSpecTokens(""));
    } else {
      tokens.addAll(up.toSpecTokens("up."));
      tokens.addAll(down.toSpecTokens("down."));
    }
    tokens.addAll(ProfileParser.timelineTokens(timeline));
    return String.join(",", tokens);
  }

  /** Equal impairments and timeline (the name and source are not compared). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Profile)) {
      return false;
    }
    Profile p = (Profile) o;
    return up.equals(p.up) && down.equals(p.down) && timeline.equals(p.timeline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(up, down, timeline);
  }

  @Override
  public String toString() {
    String spec = toSpec();
    return name + " (" + (spec.isEmpty() ? "ideal" : spec) + ")";
  }

  /** Sets the parts of a {@link Profile}; not thread-safe. */
  public static final class Builder {
    private String name = "custom";
    private String source = "custom";
    private DirectionProfile up = DirectionProfile.ideal();
    private DirectionProfile down = DirectionProfile.ideal();
    private Timeline timeline = Timeline.EMPTY;

    private Builder() {}

    /** The display name. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Where the values come from. */
    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The A→B direction. */
    public Builder up(DirectionProfile up) {
      this.up = Objects.requireNonNull(up, "up");
      return this;
    }

    /** The B→A direction. */
    public Builder down(DirectionProfile down) {
      this.down = Objects.requireNonNull(down, "down");
      return this;
    }

    /** The same impairments in both directions. */
    public Builder both(DirectionProfile both) {
      return up(both).down(both);
    }

    /** The impairments of one direction. */
    public Builder direction(Direction direction, DirectionProfile profile) {
      return direction == Direction.A_TO_B ? up(profile) : down(profile);
    }

    /** The scripted events. */
    public Builder timeline(Timeline timeline) {
      this.timeline = Objects.requireNonNull(timeline, "timeline");
      return this;
    }

    /** The profile. */
    public Profile build() {
      return new Profile(this);
    }
  }
}
