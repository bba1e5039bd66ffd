package io.kcpj.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a comparison report shows, gathered once so that every format (console, Markdown,
 * HTML, CSV, JSON, charts) reads the same figures: facts about the run, notes, what each profile
 * and transport is, and the {@link Row}s grouped by profile.
 *
 * <p>Built on the report-writing thread and confined to it.
 */
public final class ReportModel {
  /** What a profile is: its name, where its values come from, its parameters and its floor's. */
  public record ProfileInfo(String name, String source, String parameters, String floorParameters) {
    public ProfileInfo {
      Objects.requireNonNull(name, "name");
      source = source == null ? "" : source;
      parameters = parameters == null || parameters.isEmpty() ? "ideal" : parameters;
      floorParameters = floorParameters == null ? "" : floorParameters;
    }
  }

  /** What a transport row is: its label, compact settings and a description of its settings. */
  public record TransportInfo(String label, String settings, String description) {
    public TransportInfo {
      Objects.requireNonNull(label, "label");
      settings = settings == null ? "" : settings;
      description = description == null ? "" : description;
    }
  }

  private final String title;
  private final Map<String, String> info;
  private final List<String> notes;
  private final List<ProfileInfo> profiles;
  private final List<TransportInfo> transports;
  private final List<RunResult> results;
  private final Map<String, List<Row>> byProfile = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private boolean partial;

  public ReportModel(
      String title,
      Map<String, String> info,
      List<String> notes,
      List<ProfileInfo> profiles,
      List<TransportInfo> transports,
      List<RunResult> results) {
    this.title = Objects.requireNonNull(title, "title");
    this.info = new LinkedHashMap<>(info);
    this.notes = List.copyOf(notes);
    this.profiles = List.copyOf(profiles);
    this.transports = List.copyOf(transports);
    this.results = List.copyOf(results);
    Map<String, List<RunResult>> grouped = new LinkedHashMap<>();
    for (RunResult r : results) {
      grouped.computeIfAbsent(r.profile(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<RunResult>> e : grouped.entrySet()) {
      RunResult floor = find(e.getValue(), Row.FLOOR);
      RunResult baseline = find(e.getValue(), Row.BASELINE);
      List<Row> rs = new ArrayList<>();
      for (RunResult r : e.getValue()) {
        Row row = new Row(r, floor, baseline);
        rs.add(row);
        rows.add(row);
      }
      byProfile.put(e.getKey(), rs);
    }
  }

  /** A model without profile or transport descriptions (tests, quick reports). */
  public static ReportModel of(
      String title, Map<String, String> info, List<String> notes, List<RunResult> results) {
    return new ReportModel(title, info, notes, List.of(), List.of(), results);
  }

  private static RunResult find(List<RunResult> rs, String label) {
    for (RunResult r : rs) {
      if (r.transport().equals(label)) {
        return r;
      }
    }
    return null;
  }

  /** Marks the report as partial (the run was interrupted); the reports say so first. */
  public ReportModel partial(boolean partial) {
    this.partial = partial;
    return this;
  }

  public boolean isPartial() {
    return partial;
  }

  public String title() {
    return title;
  }

  public Map<String, String> info() {
    return info;
  }

  public List<String> notes() {
    return notes;
  }

  public List<ProfileInfo> profiles() {
    return profiles;
  }

  public List<TransportInfo> transports() {
    return transports;
  }

  public List<RunResult> results() {
    return results;
  }

  /** Every row, in result order. */
  public List<Row> rows() {
    return rows;
  }

  /** Rows grouped by profile, in first-seen order. */
  public Map<String, List<Row>> byProfile() {
    return byProfile;
  }

  /** The description of profile {@code name}, or null. */
  public ProfileInfo profile(String name) {
    for (ProfileInfo p : profiles) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  /** Whether any profile has a baseline ({@code tcp}) row. */
  public boolean hasBaseline() {
    for (Row r : rows) {
      if (r.isBaseline()) {
        return true;
      }
    }
    return false;
  }
}
