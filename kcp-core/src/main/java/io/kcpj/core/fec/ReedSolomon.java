package io.kcpj.core.fec;

/**
 * Systematic Reed-Solomon erasure code over GF(2⁸) with the encoding matrix of
 * klauspost/reedsolomon (the coder inside kcp-go) and Backblaze's JavaReedSolomon, so parity shards
 * are byte-identical to kcp-go's.
 *
 * <p><b>Construction.</b> Start from the {@code (data + parity) × data} Vandermonde matrix V (row r
 * is r⁰, r¹, …), multiply it by the inverse of its top square: the top of the result is the
 * identity (data shards are sent as they are) and every square subset of its rows stays invertible,
 * so any {@code data} of the {@code data + parity} shards rebuild the others. Parity shard p is row
 * {@code data + p} applied to the data shards. The field is {@link Gf256}'s (polynomial 0x11d).
 *
 * <p><b>Reconstruction.</b> Like klauspost's {@code ReconstructData}: the first {@code data} shards
 * present, in index order, are the inputs; the matching rows of the encoding matrix are inverted;
 * each missing data shard is its row of that inverse applied to the inputs. For a consistent set of
 * shards any choice gives the same bytes; choosing the same inputs as kcp-go keeps even
 * inconsistent (corrupted) input byte-identical.
 *
 * <p><b>Memory and speed.</b> The coder uses packed product tables (2 KiB per data shard and group
 * of eight parity shards: 20 KiB for 10/3, shared by all coders of the shape) and keeps scratch for
 * one decode; encoding and reconstruction allocate nothing once warm. The tables of the last
 * erasure pattern are kept, so a repeated pattern skips the inversion and the table build; for
 * codes of at most 64 shards the inverse rows of the patterns seen are also cached (about 4 KiB at
 * most per coder, allocated on first use, bounded so that many FEC sessions stay cheap: for 10/3
 * about 30 patterns, all single losses among them; a new pattern allocates its rows once, a full
 * cache stops growing and later patterns are inverted each time), so a changed pattern costs only
 * the table build. Codes whose {@code data × parity} exceeds 1,024 use the plain product-table loop
 * instead of packed tables (slower, no table memory).
 *
 * <p><b>Shared per shape.</b> The encoding matrix and the parity tables depend only on the shape
 * and are never written, so they come from {@link ReedSolomonShape}'s process-wide cache (bounded
 * at 4 MiB): building a coder of a shape built before costs only its scratch arrays.
 *
 * <p><b>Threads.</b> An instance holds scratch state: confine it to one thread (one per session
 * direction). The shared parts are immutable.
 *
 * <p>Worked example (10 data, 3 parity, 1,400-byte shards at offset 0):
 *
 * <pre>{@code
 * ReedSolomon rs = new ReedSolomon(10, 3);
 * byte[][] shards = new byte[13][1400];      // fill shards[0..9] with data
 * rs.encodeParity(shards, 0, 1400);          // shards[10..12] now hold parity
 * boolean[] present = new boolean[13];
 * java.util.Arrays.fill(present, true);
 * present[2] = present[5] = present[7] = false;   // three shards lost
 * rs.reconstructData(shards, present, 0, 1400);   // shards[2], [5], [7] rebuilt
 * }</pre>
 */
public final class ReedSolomon {
  /** The most shards (data + parity) one code can have: the size of the field. */
  public static final int MAX_TOTAL_SHARDS = 256;

  /** Rough memory budget of the per-pattern inverse cache of one coder. */
  private static final int INVERSE_CACHE_BYTES = 4 * 1024;

  private final int dataShards;
  private final int parityShards;
  private final int totalShards;

  /** The encoding matrix, total × data, identity on top; shared with {@link ReedSolomonShape}. */
  private final byte[][] matrix;

  /** The parity rows alone (matrix rows data..total−1); shared, never written. */
  private final byte[][] parityRows;

  private final boolean packed;

  /**
   * Encoding tables, one [data][256] set per group of eight parity rows; null if not packed. Shared
   * by every coder of this shape, never written.
   */
  private final long[][][] parityTables;

  // Reconstruction scratch, sized once.
  private final int[] inputRows;
  private final int[] cachedInputRows;
  private boolean cacheValid;
  private final byte[][] subMatrix;
  private final byte[][] inverse;
  private final byte[][] work;
  private final byte[][] inputs;
  private final byte[][] outputs;
  private final byte[][] outputCoefficients;
  private long[][][] decodeTables;

  // Per-erasure-pattern cache of the inverse rows (codes of at most 64 shards), filled lazily.
  private long[] cacheKeys;
  private byte[][][] cacheRows;
  private int cacheCount;
  private int cacheCapacity;

  /**
   * A code with {@code dataShards} data and {@code parityShards} parity shards.
   *
   * @throws IllegalArgumentException unless {@code dataShards ≥ 1}, {@code parityShards ≥ 1} and
   *     their sum is at most {@link #MAX_TOTAL_SHARDS}
   */
  public ReedSolomon(int dataShards, int parityShards) {
    if (dataShards < 1 || parityShards < 1 || dataShards + parityShards > MAX_TOTAL_SHARDS) {
      throw new IllegalArgumentException(
          "Reed-Solomon needs data >= 1, parity >= 1 and data + parity <= "
              + MAX_TOTAL_SHARDS
              + ", got "
              + dataShards
              + "/"
              + parityShards);
    }
    this.dataShards = dataShards;
    this.parityShards = parityShards;
    this.totalShards = dataShards + parityShards;
    ReedSolomonShape shape = ReedSolomonShape.of(dataShards, parityShards);
    this.matrix = shape.matrix;
    this.parityRows = shape.parityRows;
    this.packed = shape.packed;
    this.parityTables = shape.parityTables;
    inputRows = new int[dataShards];
    cachedInputRows = new int[dataShards];
    subMatrix = new byte[dataShards][dataShards];
    inverse = new byte[dataShards][dataShards];
    work = new byte[dataShards][2 * dataShards];
    inputs = new byte[dataShards][];
    int maxMissing = Math.min(dataShards, parityShards);
    outputs = new byte[maxMissing][];
    outputCoefficients = new byte[maxMissing][];
  }

  /** The encoding matrix of klauspost/reedsolomon's default (Vandermonde) construction. */
  static byte[][] buildMatrix(int dataShards, int totalShards) {
    byte[][] vandermonde = GfMatrix.vandermonde(totalShards, dataShards);
    byte[][] top = new byte[dataShards][];
    System.arraycopy(vandermonde, 0, top, 0, dataShards);
    return GfMatrix.multiply(vandermonde, GfMatrix.invert(top));
  }

  public int dataShards() {
    return dataShards;
  }

  public int parityShards() {
    return parityShards;
  }

  public int totalShards() {
    return dataShards + parityShards;
  }

  /**
   * A copy of encoding matrix row {@code row} ({@code 0 <= row < total}): the coefficients of that
   * shard.
   */
  public byte[] matrixRow(int row) {
    return matrix[row].clone();
  }

  /**
   * Computes the parity shards from the data shards: bytes {@code [offset, offset + length)} of
   * {@code shards[data .. total−1]} are overwritten from the same range of {@code shards[0 ..
   * data−1]}. Every array must hold {@code offset + length} bytes. Allocates nothing.
   */
  public void encodeParity(byte[][] shards, int offset, int length) {
    checkShards(shards, offset, length);
    for (int s = 0; s < totalShards; s++) {
      if (shards[s] == null || shards[s].length < offset + length) {
        throw new IllegalArgumentException("shard " + s + " is missing or too short");
      }
    }
    if (packed) {
      for (int g = 0; g < parityTables.length; g++) {
        int first = g * GfKernel.GROUP;
        GfKernel.code(
            parityTables[g],
            shards,
            dataShards,
            offset,
            shards,
            dataShards + first,
            Math.min(GfKernel.GROUP, parityShards - first),
            offset,
            length);
      }
    } else {
      GfKernel.codeSimple(
          parityRows,
          0,
          shards,
          dataShards,
          offset,
          shards,
          dataShards,
          parityShards,
          offset,
          length);
    }
  }

  /**
   * Rebuilds the missing data shards: {@code present[s]} tells whether {@code shards[s]} holds
   * valid bytes in {@code [offset, offset + length)}; each data shard that is not present must be a
   * non-null array of at least {@code offset + length} bytes, and that range is overwritten with
   * its rebuilt content. Missing parity shards are neither read nor rebuilt (they may be null).
   *
   * @return true when every data shard is now valid; false when fewer than {@code data} shards are
   *     present (nothing is written then)
   */
  public boolean reconstructData(byte[][] shards, boolean[] present, int offset, int length) {
    checkShards(shards, offset, length);
    if (present.length < totalShards) {
      throw new IllegalArgumentException("present[] has fewer than " + totalShards + " entries");
    }
    int found = 0;
    int dataPresent = 0;
    for (int s = 0; s < totalShards && found < dataShards; s++) {
      if (present[s]) {
        if (shards[s] == null || shards[s].length < offset + length) {
          throw new IllegalArgumentException("present shard " + s + " is null or too short");
        }
        inputRows[found++] = s;
        if (s < dataShards) {
          dataPresent++;
        }
      }
    }
    if (found < dataShards) {
      return false;
    }
    if (dataPresent == dataShards) {
      return true;
    }
    int missing = 0;
    for (int d = 0; d < dataShards; d++) {
      if (!present[d]) {
        if (shards[d] == null || shards[d].length < offset + length) {
          throw new IllegalArgumentException("missing data shard " + d + " has no room");
        }
        outputs[missing++] = shards[d];
      }
    }
    if (!sameInputsAsCached()) {
      prepareDecode(present, missing);
    }
    for (int k = 0; k < dataShards; k++) {
      inputs[k] = shards[inputRows[k]];
    }
    if (packed) {
      for (int g = 0; g * GfKernel.GROUP < missing; g++) {
        int first = g * GfKernel.GROUP;
        GfKernel.code(
            decodeTables[g],
            inputs,
            dataShards,
            offset,
            outputs,
            first,
            Math.min(GfKernel.GROUP, missing - first),
            offset,
            length);
      }
    } else {
      GfKernel.codeSimple(
          outputCoefficients, 0, inputs, dataShards, offset, outputs, 0, missing, offset, length);
    }
    for (int k = 0; k < missing; k++) {
      outputs[k] = null;
    }
    for (int k = 0; k < dataShards; k++) {
      inputs[k] = null;
    }
    return true;
  }

  private boolean sameInputsAsCached() {
    if (!cacheValid) {
      return false;
    }
    for (int k = 0; k < dataShards; k++) {
      if (inputRows[k] != cachedInputRows[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Finds (in the per-pattern cache) or computes (inverting the input rows' sub-matrix) the
   * coefficients of the missing data shards, then builds their tables.
   */
  private void prepareDecode(boolean[] present, int missing) {
    long key = 0;
    byte[][] cached = null;
    if (totalShards <= 64) {
      for (int k = 0; k < dataShards; k++) {
        key |= 1L << inputRows[k];
      }
      cached = cacheLookup(key);
    }
    if (cached != null) {
      System.arraycopy(cached, 0, outputCoefficients, 0, missing);
    } else {
      for (int k = 0; k < dataShards; k++) {
        System.arraycopy(matrix[inputRows[k]], 0, subMatrix[k], 0, dataShards);
      }
      if (!GfMatrix.invert(subMatrix, inverse, work)) {
        // Cannot happen for this construction (every square subset of rows is invertible).
        throw new IllegalStateException("singular decode matrix");
      }
      int m = 0;
      for (int d = 0; d < dataShards; d++) {
        if (!present[d]) {
          outputCoefficients[m++] = inverse[d];
        }
      }
      if (totalShards <= 64) {
        cacheStore(key, missing);
      }
    }
    if (packed) {
      int groups = (missing + GfKernel.GROUP - 1) / GfKernel.GROUP;
      if (decodeTables == null) {
        int maxGroups = (outputs.length + GfKernel.GROUP - 1) / GfKernel.GROUP;
        decodeTables = new long[maxGroups][][];
      }
      for (int g = 0; g < groups; g++) {
        if (decodeTables[g] == null) {
          decodeTables[g] = new long[dataShards][256];
        }
        int first = g * GfKernel.GROUP;
        GfKernel.buildTables(
            decodeTables[g],
            outputCoefficients,
            first,
            Math.min(GfKernel.GROUP, missing - first),
            dataShards);
      }
    }
    System.arraycopy(inputRows, 0, cachedInputRows, 0, dataShards);
    cacheValid = true;
  }

  /** The cached coefficient rows for the inputs {@code key} (a bit per input row), or null. */
  private byte[][] cacheLookup(long key) {
    if (cacheKeys == null) {
      return null;
    }
    int mask = cacheKeys.length - 1;
    for (int h = mix(key) & mask; ; h = (h + 1) & mask) {
      long k = cacheKeys[h];
      if (k == key) {
        return cacheRows[h];
      }
      if (k == 0) {
        return null;
      }
    }
  }

  /**
   * Keeps copies of the first {@code missing} coefficient rows under {@code key}, while the cache
   * is under its budget (a full cache is left as it is: later patterns are inverted each time).
   */
  private void cacheStore(long key, int missing) {
    if (cacheKeys == null) {
      // About INVERSE_CACHE_BYTES of rows and keys, at least 16 patterns.
      int perEntry = outputs.length * (dataShards + 16) + 48;
      cacheCapacity = Math.max(16, INVERSE_CACHE_BYTES / Math.max(perEntry, 1));
      int slots = Integer.highestOneBit(cacheCapacity * 2 - 1) << 1;
      cacheKeys = new long[slots];
      cacheRows = new byte[slots][][];
    }
    if (cacheCount >= cacheCapacity) {
      return;
    }
    int mask = cacheKeys.length - 1;
    int h = mix(key) & mask;
    while (cacheKeys[h] != 0) {
      h = (h + 1) & mask;
    }
    byte[][] rows = new byte[missing][];
    for (int m = 0; m < missing; m++) {
      rows[m] = outputCoefficients[m].clone();
      outputCoefficients[m] = rows[m];
    }
    cacheKeys[h] = key;
    cacheRows[h] = rows;
    cacheCount++;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32);
  }

  private void checkShards(byte[][] shards, int offset, int length) {
    if (shards.length < totalShards) {
      throw new IllegalArgumentException(
          "need " + totalShards + " shard slots, got " + shards.length);
    }
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length");
    }
  }
}
