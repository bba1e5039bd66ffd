package io.kcpj.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Axis labels sit at their values: log ticks at 1, 2, 5 × 10ⁿ labelled with those values, and in
 * the PNG a dot drawn at a value lies on the grid line of the tick with that label.
 */
class PlotTest {

  @Test
  void logTicksAreOneTwoFiveAndLabelledWithTheirValues() {
    List<Plot.Tick> t = Plot.logTicks(420, 7254);
    List<String> labels = new ArrayList<>();
    for (Plot.Tick k : t) {
      labels.add(k.label());
      assertEquals(k.value(), Double.parseDouble(k.label().replace(",", "")), 1e-9, k.label());
    }
    assertEquals(List.of("200", "500", "1,000", "2,000", "5,000", "10,000"), labels);
    assertEquals(List.of("0.5", "1", "2", "5", "10"), label(Plot.logTicks(0.7, 9)));
    // beyond four decades only the decades are named
    assertEquals(
        List.of("1", "10", "100", "1,000", "10,000", "100,000"), label(Plot.logTicks(1, 1e5)));
    assertEquals(List.of("0", "0.5", "1", "1.5", "2"), label(Plot.linearTicks(0, 1.9)));
  }

  private static List<String> label(List<Plot.Tick> ticks) {
    List<String> l = new ArrayList<>();
    for (Plot.Tick t : ticks) {
      l.add(t.label());
    }
    return l;
  }

  @Test
  void aDotAtAValueIsDrawnOnTheGridLineOfItsTick(@TempDir Path dir) throws Exception {
    Color red = new Color(0xd62728);
    Plot p =
        new Plot("known points", "x", "y")
            .logY(true)
            .legendWidth(0)
            .add(
                new Plot.Series(
                    "pts",
                    new double[] {1, 2, 3},
                    new double[] {420, 1000, 7254},
                    red,
                    false,
                    false,
                    Plot.Marker.CIRCLE,
                    false));
    assertTrue(p.isLogY());
    Path file = dir.resolve("p.png");
    p.write(file);
    BufferedImage img = ImageIO.read(file.toFile());
    int x = (int) Math.round(p.xPixel(2));
    // the dot's rows in the column through its centre
    int top = -1;
    int bottom = -1;
    for (int y = 0; y < img.getHeight(); y++) {
      if (isRed(img.getRGB(x, y))) {
        top = top < 0 ? y : top;
        bottom = y;
      }
    }
    assertTrue(top > 0, "the dot at 1,000 is drawn");
    double centre = (top + bottom) / 2.0;
    Plot.Tick thousand =
        p.yTicks().stream().filter(t -> t.label().equals("1,000")).findFirst().orElseThrow();
    assertEquals(p.yPixel(thousand.value()), centre, 1.5, "the dot sits on the 1,000 line");
    // and the grid line really is drawn at that row, left of the dot
    int gridRow = (int) Math.round(p.yPixel(1000));
    int gridX = (int) Math.round(p.xPixel(1.3)); // between vertical grid lines
    assertFalse(isWhite(img.getRGB(gridX, gridRow)), "grid line at the 1,000 row");
    assertTrue(isWhite(img.getRGB(gridX, gridRow - 6)), "and not a few rows off");
  }

  private static boolean isRed(int rgb) {
    int r = rgb >> 16 & 0xff;
    int g = rgb >> 8 & 0xff;
    int b = rgb & 0xff;
    return r > 180 && g < 120 && b < 120;
  }

  private static boolean isWhite(int rgb) {
    return (rgb & 0xffffff) == 0xffffff;
  }
}
