package io.kcpj.netty;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what kcp-netty logs (Netty logs through java.util.logging when no other framework is on
 * the class path, as in these tests) while it is open, at {@code level} and above.
 */
final class LogCapture implements AutoCloseable {
  private final Logger logger = Logger.getLogger("io.kcpj.netty");
  private final Level previous;
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  LogCapture(Level level) {
    previous = logger.getLevel();
    logger.setLevel(level);
    handler.setLevel(level);
    logger.addHandler(handler);
  }

  /** The messages logged at {@code level} or above. */
  List<String> messages(Level level) {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= level.intValue())
        .map(LogRecord::getMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previous);
  }
}
