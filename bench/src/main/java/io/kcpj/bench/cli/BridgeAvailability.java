package io.kcpj.bench.cli;

import io.kcpj.bench.compare.Comparison;
import io.kcpj.bench.compare.bridge.BridgeComparison;
import io.kcpj.bench.report.RunResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Whether the real-time comparison over the TUN bridge can run here, and running it. */
final class BridgeAvailability {
  private BridgeAvailability() {}

  /** Null when the bridge can run; otherwise why not, in one sentence. */
  static String whyUnavailable() {
    return BridgeComparison.whyUnavailable();
  }

  static List<RunResult> runOverBridge(
      Comparison plan,
      Map<String, String> info,
      Consumer<RunResult> onRow,
      Consumer<String> progress,
      Path reportDir)
      throws Exception {
    return new BridgeComparison(plan).run(info, onRow, progress, reportDir);
  }
}
