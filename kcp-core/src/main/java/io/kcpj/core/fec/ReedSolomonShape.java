package io.kcpj.core.fec;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The immutable part of a {@link ReedSolomon} code of one shape (data and parity shard counts): the
 * encoding matrix and the packed parity tables. Building them costs a matrix inversion and the
 * table fill (tens of microseconds for 10/3, milliseconds for large codes), so they are built once
 * per shape and shared by every coder of that shape, in this process-wide cache.
 *
 * <p><b>Memory bound:</b> the cache keeps the most recently used shapes while their matrices and
 * tables together stay within {@value #CACHE_BYTES} bytes (4 MiB), and at most {@value #MAX_SHAPES}
 * shapes; the least recently used are forgotten first (a forgotten shape is rebuilt when next asked
 * for, and coders already built keep theirs). One shape is at most about 580 KiB (255/1), so the
 * newest always fits; 10/3 is about 20 KiB.
 *
 * <p><b>Threads:</b> immutable once built and safe to share between threads; {@link #of} is
 * thread-safe. Nothing here is written after construction: coders keep their scratch themselves.
 */
final class ReedSolomonShape {
  /** The byte budget of the cache (matrices and tables of all cached shapes). */
  static final long CACHE_BYTES = 4L * 1024 * 1024;

  /** The most shapes cached. */
  static final int MAX_SHAPES = 256;

  private static final int PACKED_LIMIT = 1024;

  private static final LinkedHashMap<Integer, ReedSolomonShape> CACHE =
      new LinkedHashMap<>(16, 0.75f, true);
  private static long cachedBytes;

  final int dataShards;
  final int parityShards;

  /** The encoding matrix, total × data, identity on top. Never written. */
  final byte[][] matrix;

  /** The parity rows alone (matrix rows data..total−1). Never written. */
  final byte[][] parityRows;

  /** Whether packed tables are used ({@code data × parity ≤ 1,024}). */
  final boolean packed;

  /** Encoding tables, one [data][256] set per group of eight parity rows; null if not packed. */
  final long[][][] parityTables;

  /** Approximate heap bytes of the matrix and tables. */
  final long bytes;

  private ReedSolomonShape(int dataShards, int parityShards) {
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    int totalShards = dataShards + parityShards;
    this.matrix = ReedSolomon.buildMatrix(dataShards, totalShards);
    this.parityRows = new byte[parityShards][];
    for (int p = 0; p < parityShards; p++) {
      parityRows[p] = matrix[dataShards + p];
    }
    this.packed = dataShards * parityShards <= PACKED_LIMIT;
    long tableBytes = 0;
    if (packed) {
      int groups = (parityShards + GfKernel.GROUP - 1) / GfKernel.GROUP;
      parityTables = new long[groups][dataShards][256];
      for (int g = 0; g < groups; g++) {
        int first = g * GfKernel.GROUP;
        GfKernel.buildTables(
            parityTables[g],
            parityRows,
            first,
            Math.min(GfKernel.GROUP, parityShards - first),
            dataShards);
      }
      tableBytes = (long) groups * dataShards * (256 * 8 + 16);
    } else {
      parityTables = null;
    }
    this.bytes = tableBytes + (long) totalShards * (dataShards + 16) + 64;
  }

  /**
   * The shape {@code dataShards}/{@code parityShards}, from the cache or built now (the caller has
   * checked the counts). Thread-safe; the build runs outside the lock.
   */
  static ReedSolomonShape of(int dataShards, int parityShards) {
    Integer key = dataShards << 16 | parityShards;
    synchronized (CACHE) {
      ReedSolomonShape known = CACHE.get(key);
      if (known != null) {
        return known;
      }
    }
    ReedSolomonShape built = new ReedSolomonShape(dataShards, parityShards);
    synchronized (CACHE) {
      ReedSolomonShape raced = CACHE.get(key);
      if (raced != null) {
        return raced;
      }
      CACHE.put(key, built);
      cachedBytes += built.bytes;
      Iterator<ReedSolomonShape> eldest = CACHE.values().iterator();
      while ((cachedBytes > CACHE_BYTES || CACHE.size() > MAX_SHAPES) && CACHE.size() > 1) {
        ReedSolomonShape evicted = eldest.next();
        eldest.remove();
        cachedBytes -= evicted.bytes;
      }
    }
    return built;
  }

  /** How many shapes are cached now (tests). */
  static int cachedShapes() {
    synchronized (CACHE) {
      return CACHE.size();
    }
  }

  /** The bytes the cached shapes hold now, by the same estimate as the bound (tests). */
  static long cachedBytes() {
    synchronized (CACHE) {
      return cachedBytes;
    }
  }

  /** Forgets every cached shape (tests that measure construction). */
  static void clearCache() {
    synchronized (CACHE) {
      CACHE.clear();
      cachedBytes = 0;
    }
  }

  /**
   * Whether {@code dataShards}/{@code parityShards} is cached now, without touching its recency.
   */
  static boolean isCached(int dataShards, int parityShards) {
    synchronized (CACHE) {
      return CACHE.containsKey(dataShards << 16 | parityShards);
    }
  }
}
