package io.kcpj.netem.link;

/**
 * A test packet that remembers who it is: when it was offered, its number, its size, and whether it
 * is a duplicate copy or was corrupted.
 */
public record Probe(long sentAt, long number, int size, boolean copy, boolean corrupted) {

  /** An original, uncorrupted probe. */
  public static Probe of(long sentAt, long number, int size) {
    return new Probe(sentAt, number, size, false, false);
  }

  /** The adapter: copies and corruption are recorded in the flags. */
  public static final PacketAdapter<Probe> ADAPTER =
      new PacketAdapter<>() {
        @Override
        public int length(Probe p) {
          return p.size();
        }

        @Override
        public Probe duplicate(Probe p) {
          return new Probe(p.sentAt(), p.number(), p.size(), true, p.corrupted());
        }

        @Override
        public Probe corrupt(Probe p, int index, int bit) {
          if (index < 0 || index >= p.size() || bit < 0 || bit > 7) {
            throw new AssertionError("bad corruption position " + index + "/" + bit);
          }
          return new Probe(p.sentAt(), p.number(), p.size(), p.copy(), true);
        }
      };
}
