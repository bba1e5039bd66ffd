package io.kcpj.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * A small PNG plot drawn with Java2D: lines, markers and vertical interval whiskers on a linear or
 * logarithmic y axis, with a numeric x axis or explicit x ticks (categories, "nines").
 *
 * <p>Why not a charting library: the reports need a log axis whose labels sit exactly at their
 * values and stay readable (1, 2, 5 × 10ⁿ), categories on x with several dots side by side, and
 * whiskers of any length; XChart's log axis either names only the decades or crowds 6–9 together,
 * and its tick formatters do not combine with a log axis. Here the ticks are computed once ({@link
 * #yTicks()}) and drawn at {@link #yPixel(double)}, the same mapping as the data, which the tests
 * check.
 *
 * <p>Build one, {@link #write} it; not thread-safe. Drawing needs no display ({@code
 * java.awt.headless} is set).
 */
public final class Plot {
  /** Marker shapes. */
  public enum Marker {
    NONE,
    CIRCLE,
    TRIANGLE_UP,
    DIAMOND,
    SQUARE
  }

  /** A tick: its value on the axis and its label. */
  public record Tick(double value, String label) {}

  /** A data series: points joined by a line and/or drawn as markers. */
  public record Series(
      String name,
      double[] xs,
      double[] ys,
      Color color,
      boolean line,
      boolean dashed,
      Marker marker,
      boolean inLegend) {
    public Series {
      Objects.requireNonNull(name, "name");
      if (xs.length != ys.length) {
        throw new IllegalArgumentException("xs and ys differ in length");
      }
    }
  }

  private record Whisker(double x, double low, double high, Color color) {}

  private static final int LEFT = 90;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;

  private final String title;
  private final String xTitle;
  private final String yTitle;
  private int width = 1000;
  private int height = 580;
  private int legendWidth = -1; // automatic
  private boolean logY;
  private Double yMin;
  private Double yMax;
  private Double xMin;
  private Double xMax;
  private List<Tick> xTicks;
  private final List<Series> series = new ArrayList<>();
  private final List<Whisker> whiskers = new ArrayList<>();
  private List<Tick> yTicks;
  private double lo;
  private double hi;

  public Plot(String title, String xTitle, String yTitle) {
    this.title = title;
    this.xTitle = xTitle;
    this.yTitle = yTitle;
  }

  public Plot size(int width, int height) {
    this.width = width;
    this.height = height;
    return this;
  }

  /** Width reserved for the legend on the right (0: no legend; default: fits the names). */
  public Plot legendWidth(int px) {
    this.legendWidth = px;
    return this;
  }

  /** Logarithmic y axis (every y must then be positive). */
  public Plot logY(boolean log) {
    this.logY = log;
    return this;
  }

  /** Fixes the y range instead of fitting it to the data (either may be null). */
  public Plot yRange(Double min, Double max) {
    this.yMin = min;
    this.yMax = max;
    return this;
  }

  /** The x range (defaults to the data's). */
  public Plot xRange(double min, double max) {
    this.xMin = min;
    this.xMax = max;
    return this;
  }

  /** Explicit x ticks (e.g. categories at 0, 1, 2 …); otherwise linear ticks are computed. */
  public Plot xTicks(List<Tick> ticks) {
    this.xTicks = List.copyOf(ticks);
    return this;
  }

  public Plot add(Series s) {
    series.add(s);
    yTicks = null;
    return this;
  }

  /** A vertical whisker from {@code low} to {@code high} at {@code x}. */
  public Plot whisker(double x, double low, double high, Color color) {
    whiskers.add(new Whisker(x, low, high, color));
    yTicks = null;
    return this;
  }

  public boolean isLogY() {
    return logY;
  }

  /** The y ticks, computed from the data and the fixed range; also fixes the drawn y range. */
  public List<Tick> yTicks() {
    if (yTicks == null) {
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      for (Series s : series) {
        for (double y : s.ys()) {
          if (Double.isFinite(y) && (!logY || y > 0)) {
            min = Math.min(min, y);
            max = Math.max(max, y);
          }
        }
      }
      for (Whisker w : whiskers) {
        for (double y : new double[] {w.low(), w.high()}) {
          if (Double.isFinite(y) && (!logY || y > 0)) {
            min = Math.min(min, y);
            max = Math.max(max, y);
          }
        }
      }
      if (yMin != null) {
        min = yMin;
      }
      if (yMax != null) {
        max = yMax;
      }
      if (min > max) {
        min = logY ? 1 : 0;
        max = logY ? 10 : 1;
      }
      yTicks = logY ? logTicks(min, max) : linearTicks(min, max);
      lo = yMin != null ? yMin : Math.min(min, yTicks.get(0).value());
      hi = yMax != null ? yMax : Math.max(max, yTicks.get(yTicks.size() - 1).value());
      if (hi <= lo) {
        hi = lo + (logY ? lo * 9 : 1);
      }
    }
    return yTicks;
  }

  /** The pixel row of value {@code y} (after {@link #yTicks()} fixed the range). */
  public double yPixel(double y) {
    yTicks();
    double top = TOP;
    double bottom = height - BOTTOM;
    double f =
        logY
            ? (Math.log10(y) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
            : (y - lo) / (hi - lo);
    return bottom - f * (bottom - top);
  }

  /** The pixel column of value {@code x}. */
  public double xPixel(double x) {
    double[] r = xRange();
    double left = LEFT;
    double right = width - legendWidth - 20;
    return left + (x - r[0]) / (r[1] - r[0]) * (right - left);
  }

  private double[] xRange() {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Series s : series) {
      for (double x : s.xs()) {
        if (Double.isFinite(x)) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      }
    }
    if (xMin != null) {
      min = xMin;
    }
    if (xMax != null) {
      max = xMax;
    }
    if (min >= max) {
      min = min == Double.MAX_VALUE ? 0 : min - 1;
      max = min + 2;
    }
    return new double[] {min, max};
  }

  /**
   * Ticks at 1, 2 and 5 × 10ⁿ covering {@code [min, max]} (only 10ⁿ beyond four decades), from the
   * largest such value at or below {@code min} to the smallest at or above {@code max}.
   */
  static List<Tick> logTicks(double min, double max) {
    int d0 = (int) Math.floor(Math.log10(min) + 1e-9);
    int d1 = (int) Math.ceil(Math.log10(max) - 1e-9);
    boolean onlyDecades = d1 - d0 > 4;
    double[] mantissas = onlyDecades ? new double[] {1} : new double[] {1, 2, 5};
    List<Double> all = new ArrayList<>();
    for (int d = d0; d <= d1; d++) {
      for (double m : mantissas) {
        all.add(m * Math.pow(10, d));
      }
    }
    int first = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) <= min * (1 + 1e-9)) {
        first = i;
      }
    }
    int last = all.size() - 1;
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i) >= max * (1 - 1e-9)) {
        last = i;
      }
    }
    List<Tick> ticks = new ArrayList<>();
    for (int i = first; i <= last; i++) {
      ticks.add(new Tick(all.get(i), label(all.get(i))));
    }
    return ticks;
  }

  /** About six ticks at a 1, 2, 2.5 or 5 × 10ⁿ step covering {@code [min, max]}. */
  static List<Tick> linearTicks(double min, double max) {
    double range = max - min;
    if (range <= 0) {
      range = Math.abs(max) > 0 ? Math.abs(max) : 1;
      min -= range / 2;
      max += range / 2;
    }
    double raw = range / 6;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    double start = Math.floor(min / step + 1e-9) * step;
    double end = Math.ceil(max / step - 1e-9) * step;
    List<Tick> ticks = new ArrayList<>();
    for (double v = start; v <= end + step / 2; v += step) {
      double r = Math.round(v / step) * step;
      ticks.add(new Tick(r, label(r)));
    }
    return ticks;
  }

  /** A tick label: up to 3 significant digits, thousands separated, no trailing zeros. */
  static String label(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    int decimals = a >= 100 ? 0 : Math.max(0, 2 - (int) Math.floor(Math.log10(a)));
    String s = String.format(Locale.ROOT, "%,." + Math.min(decimals, 6) + "f", v);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  /** Draws the plot into a PNG file. */
  public void write(Path file) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    List<Tick> yt = yTicks();
    if (legendWidth < 0) {
      legendWidth = legendWidthFor(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      int left = LEFT;
      int right = width - legendWidth - 20;
      int top = TOP;
      int bottom = height - BOTTOM;
      Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
      g.setFont(base.deriveFont(Font.BOLD, 16f));
      FontMetrics fm = g.getFontMetrics();
      g.setColor(Color.BLACK);
      g.drawString(title, Math.max(5, (width - fm.stringWidth(title)) / 2), 28);
      g.setFont(base);
      fm = g.getFontMetrics();
      // grid and y labels
      for (Tick t : yt) {
        if (t.value() < lo * (1 - 1e-9) || t.value() > hi * (1 + 1e-9) + 1e-12) {
          continue;
        }
        int y = (int) Math.round(yPixel(t.value()));
        g.setColor(new Color(0xe6e6e6));
        g.drawLine(left, y, right, y);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(left - 5, y, left, y);
        g.drawString(t.label(), left - 8 - fm.stringWidth(t.label()), y + fm.getAscent() / 2 - 1);
      }
      // x ticks
      double[] xr = xRange();
      List<Tick> xt = xTicks != null ? xTicks : linearTicks(xr[0], xr[1]);
      for (Tick t : xt) {
        if (t.value() < xr[0] - 1e-9 || t.value() > xr[1] + 1e-9) {
          continue;
        }
        int x = (int) Math.round(xPixel(t.value()));
        g.setColor(new Color(0xf0f0f0));
        g.drawLine(x, top, x, bottom);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(x, bottom, x, bottom + 5);
        g.drawString(t.label(), x - fm.stringWidth(t.label()) / 2, bottom + 8 + fm.getAscent());
      }
      g.setColor(Color.DARK_GRAY);
      g.drawRect(left, top, right - left, bottom - top);
      // axis titles
      g.setFont(base.deriveFont(Font.BOLD));
      fm = g.getFontMetrics();
      g.setColor(Color.BLACK);
      g.drawString(xTitle, left + (right - left - fm.stringWidth(xTitle)) / 2, height - 18);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      g.drawString(yTitle, -(top + (bottom - top + fm.stringWidth(yTitle)) / 2), 20);
      g.setTransform(saved);
      g.setFont(base);
      // data, clipped to the plot area
      g.setClip(left + 1, top + 1, right - left - 1, bottom - top - 1);
      Stroke solid = new BasicStroke(2f);
      Stroke dashed =
          new BasicStroke(
              2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);
      for (Whisker w : whiskers) {
        g.setColor(w.color());
        g.setStroke(new BasicStroke(2f));
        double x = xPixel(w.x());
        double y0 = py(w.low());
        double y1 = py(w.high());
        g.draw(new java.awt.geom.Line2D.Double(x, y0, x, y1));
        g.draw(new java.awt.geom.Line2D.Double(x - 4, y0, x + 4, y0));
        g.draw(new java.awt.geom.Line2D.Double(x - 4, y1, x + 4, y1));
      }
      for (Series s : series) {
        g.setColor(s.color());
        if (s.line() && s.xs().length > 1) {
          g.setStroke(s.dashed() ? dashed : solid);
          Path2D.Double p = new Path2D.Double();
          boolean started = false;
          for (int i = 0; i < s.xs().length; i++) {
            if (Double.isNaN(s.ys()[i]) || Double.isInfinite(s.ys()[i])) {
              started = false;
              continue;
            }
            double x = xPixel(s.xs()[i]);
            double y = py(s.ys()[i]);
            if (started) {
              p.lineTo(x, y);
            } else {
              p.moveTo(x, y);
              started = true;
            }
          }
          g.draw(p);
        }
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 0; i < s.xs().length; i++) {
          if (!Double.isNaN(s.ys()[i])) {
            marker(g, s.marker(), xPixel(s.xs()[i]), py(s.ys()[i]));
          }
        }
      }
      g.setClip(null);
      // legend
      if (legendWidth > 0) {
        int lx = right + 20;
        int ly = top + 10;
        for (Series s : series) {
          if (!s.inLegend()) {
            continue;
          }
          g.setColor(s.color());
          if (s.line()) {
            g.setStroke(s.dashed() ? dashed : solid);
            g.drawLine(lx, ly, lx + 24, ly);
          }
          g.setStroke(new BasicStroke(1.5f));
          marker(g, s.marker(), lx + 12, ly);
          g.setColor(Color.BLACK);
          g.drawString(s.name(), lx + 32, ly + fm.getAscent() / 2 - 1);
          ly += 20;
        }
      }
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  private int legendWidthFor(Font font) {
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    try {
      FontMetrics fm = g.getFontMetrics(font);
      int w = 0;
      for (Series s : series) {
        if (s.inLegend()) {
          w = Math.max(w, fm.stringWidth(s.name()));
        }
      }
      return w == 0 ? 0 : Math.min(width / 2, w + 50);
    } finally {
      g.dispose();
    }
  }

  /**
   * The pixel row of a data value: +∞ at the top edge, −∞ (and, on a log axis, anything ≤ 0) at the
   * bottom edge, so that unbounded intervals and infinite values stay visible.
   */
  private double py(double y) {
    if (y == Double.POSITIVE_INFINITY) {
      return TOP + 8;
    }
    if (y == Double.NEGATIVE_INFINITY || (logY && y <= 0)) {
      return height - BOTTOM - 2;
    }
    return yPixel(y);
  }

  private static void marker(Graphics2D g, Marker m, double x, double y) {
    double r = 5;
    switch (m) {
      case CIRCLE:
        g.fill(new java.awt.geom.Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        break;
      case SQUARE:
        g.fill(new java.awt.geom.Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r));
        break;
      case TRIANGLE_UP:
        {
          Path2D.Double p = new Path2D.Double();
          p.moveTo(x, y - r - 1);
          p.lineTo(x + r + 1, y + r);
          p.lineTo(x - r - 1, y + r);
          p.closePath();
          g.fill(p);
          break;
        }
      case DIAMOND:
        {
          Path2D.Double p = new Path2D.Double();
          p.moveTo(x, y - r - 1);
          p.lineTo(x + r + 1, y);
          p.lineTo(x, y + r + 1);
          p.lineTo(x - r - 1, y);
          p.closePath();
          g.fill(p);
          break;
        }
      default:
        break;
    }
  }
}
