/*
 * harness.c - differential scenarios for kcpj against the C reference ikcp.c.
 *
 * Drives two ikcp endpoints (A and B) over a simulated lossy, reordering, duplicating link on a
 * virtual clock, every decision drawn from one xorshift32 generator, and writes what the
 * reference did in a compact text form that kcp-core's LossyReferenceVectorTest replays through
 * io.kcpj.core.Kcp. The exact rules (event order, random draws, token syntax) are written into
 * the header of the generated file by print_format() below and described in README.md: the C
 * harness and the Java replay must implement them identically.
 *
 * Usage:
 *   harness SCENARIOS                         write the vectors of every scenario to stdout
 *   harness SCENARIOS --only NAME             the same, one scenario
 *   harness SCENARIOS --dump NAME FROM COUNT  print datagrams FROM..FROM+COUNT-1 (1-based) of
 *                                             scenario NAME in full hex, decoded
 *
 * Build with build.sh, which compiles this file together with the reference's ikcp.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikcp.h"

#define CONV 0x11223344u
#define HEX_DATAGRAMS 50
#define LINE_WIDTH 120
#define RBUF_SIZE (1 << 20)

/* ------------------------------------------------------------------------------------------ */
/* Scenario parameters                                                                         */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
  /* engine */
  long nd, interval, rs, nc, minrto, fl, swnd, rwnd, mtu, stream;
  /* workload of this endpoint: what it sends and how it reads */
  long msgs, smin, smax, gap, burst, start, rlim, stall0, stall1;
  /* no ikcp_update while pause0 <= elapsed < pause1 (the clock jumps when it resumes) */
  long pause0, pause1;
  /* at elapsed cat (if > 0): ikcp_wndsize(cswnd, crwnd); ikcp_nodelay(cnd, cint, crs, cnc) */
  long cat, cswnd, crwnd, cnd, cint, crs, cnc;
  /* flush: bit 1 = ikcp_flush after this endpoint's sends of a step, bit 2 = after the inputs
     delivered to it in a step; chk: call ikcp_update only when ikcp_check said it is due */
  long flush, chk;
  /* forged datagrams delivered to this endpoint as if from its peer (see print_format): the
     first at elapsed forge (0 = none), fcount in all, every fgap ms; each holds fsegs in-order
     PUSH segments of flen bytes whose frg values are the bytes of ffrg (first segment in the
     most significant byte), or drawn in [0, fmax of the link into this endpoint] if ffrg < 0 */
  long forge, fgap, fcount, fsegs, flen, ffrg;
} side_params;

typedef struct {
  long loss, dup, dmin, dmax; /* per mille, per mille, ms, ms */
  long corrupt;               /* per mille of delivered copies damaged (see print_format) */
  long scramble, fmax;        /* per mille of delivered copies whose PUSH frg values are redrawn
                                 in [0, fmax] */
} link_params;

typedef struct {
  char name[64];
  long seed, t0, step, dur, snap;
  side_params side[2];
  link_params link[2]; /* [0] = A->B, [1] = B->A */
} scenario;

typedef struct {
  const char *key;
  size_t offset; /* into scenario */
  long dflt;
} key_def;

#define SP(s, f) (offsetof(scenario, side) + (s) * sizeof(side_params) + offsetof(side_params, f))
#define LP(l, f) (offsetof(scenario, link) + (l) * sizeof(link_params) + offsetof(link_params, f))

static const key_def KEYS[] = {
    {"seed", offsetof(scenario, seed), 1},
    {"t0", offsetof(scenario, t0), 1000},
    {"step", offsetof(scenario, step), 10},
    {"dur", offsetof(scenario, dur), 20000},
    {"snap", offsetof(scenario, snap), 1000},
#define SIDE_KEYS(S, P)                                                                         \
  {P ".nd", SP(S, nd), 0}, {P ".int", SP(S, interval), 100}, {P ".rs", SP(S, rs), 0},          \
      {P ".nc", SP(S, nc), 0}, {P ".minrto", SP(S, minrto), 0}, {P ".fl", SP(S, fl), 5},       \
      {P ".swnd", SP(S, swnd), 32}, {P ".rwnd", SP(S, rwnd), 128}, {P ".mtu", SP(S, mtu), 1400}, \
      {P ".stream", SP(S, stream), 0}, {P ".msgs", SP(S, msgs), 0}, {P ".smin", SP(S, smin), 1}, \
      {P ".smax", SP(S, smax), 1000}, {P ".gap", SP(S, gap), 10}, {P ".burst", SP(S, burst), 1}, \
      {P ".start", SP(S, start), 0}, {P ".rlim", SP(S, rlim), 0}, {P ".stall0", SP(S, stall0), 0}, \
      {P ".stall1", SP(S, stall1), 0}, {P ".pause0", SP(S, pause0), 0},                       \
      {P ".pause1", SP(S, pause1), 0}, {P ".cat", SP(S, cat), 0}, {P ".cswnd", SP(S, cswnd), 0}, \
      {P ".crwnd", SP(S, crwnd), 0}, {P ".cnd", SP(S, cnd), -1}, {P ".cint", SP(S, cint), -1},  \
      {P ".crs", SP(S, crs), -1}, {P ".cnc", SP(S, cnc), -1}, {P ".flush", SP(S, flush), 0}, \
      {P ".chk", SP(S, chk), 0}, {P ".forge", SP(S, forge), 0}, {P ".fgap", SP(S, fgap), 1000}, \
      {P ".fcount", SP(S, fcount), 1}, {P ".fsegs", SP(S, fsegs), 3}, {P ".flen", SP(S, flen), 1}, \
      {P ".ffrg", SP(S, ffrg), 0x020505}
    SIDE_KEYS(0, "a"),
    SIDE_KEYS(1, "b"),
#define LINK_KEYS(L, P)                                                                  \
  {P ".loss", LP(L, loss), 0}, {P ".dup", LP(L, dup), 0}, {P ".dmin", LP(L, dmin), 20}, \
      {P ".dmax", LP(L, dmax), 20}, {P ".corrupt", LP(L, corrupt), 0},                  \
      {P ".scramble", LP(L, scramble), 0}, {P ".fmax", LP(L, fmax), 7}
    LINK_KEYS(0, "ab"),
    LINK_KEYS(1, "ba"),
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])

static long *field(scenario *s, size_t off) { return (long *)((char *)s + off); }

static void die(const char *what, const char *detail) {
  fprintf(stderr, "harness: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(2);
}

/* Parses one "name=X key=value ..." line; unspecified keys take their defaults. */
static void parse_scenario(char *line, scenario *s) {
  memset(s, 0, sizeof *s);
  for (size_t k = 0; k < NKEYS; k++) *field(s, KEYS[k].offset) = KEYS[k].dflt;
  for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
    char *eq = strchr(tok, '=');
    if (!eq) die("token without '='", tok);
    *eq = 0;
    const char *val = eq + 1;
    if (strcmp(tok, "name") == 0) {
      snprintf(s->name, sizeof s->name, "%s", val);
      continue;
    }
    size_t k;
    for (k = 0; k < NKEYS; k++) {
      if (strcmp(tok, KEYS[k].key) == 0) break;
    }
    if (k == NKEYS) die("unknown key", tok);
    char *end;
    long v = strtol(val, &end, 0);
    if (*end) die("bad number", val);
    *field(s, KEYS[k].offset) = v;
  }
  if (!s->name[0]) die("scenario without name", NULL);
  if (s->seed == 0 || s->seed > 0xffffffffL) die("seed must be in 1..2^32-1", s->name);
  if (s->t0 < 0 || s->t0 > 0xffffffffL) die("t0 must be in 0..2^32-1", s->name);
  if (s->step <= 0 || s->dur <= 0 || s->snap <= 0 || s->snap % s->step) die("bad step/dur/snap", s->name);
  for (int i = 0; i < 2; i++) {
    side_params *p = &s->side[i];
    if (p->gap <= 0 || p->gap % s->step || p->start % s->step || p->burst < 1) die("bad gap/start/burst", s->name);
    if (p->smin < 0 || p->smax < p->smin) die("bad smin/smax", s->name);
    if (!p->stream && p->smax > 127L * (p->mtu - 24)) die("message needs more than 127 fragments", s->name);
    link_params *l = &s->link[i];
    if (p->cat < 0 || p->cat % s->step) die("bad cat", s->name);
    if (l->dmin < 0 || l->dmax < l->dmin || l->loss < 0 || l->loss > 1000 || l->dup < 0 || l->dup > 1000 ||
        l->corrupt < 0 || l->corrupt > 1000 || l->scramble < 0 || l->scramble > 1000 || l->fmax < 0 ||
        l->fmax > 255)
      die("bad link", s->name);
    if (p->forge < 0 || p->forge % s->step || p->fgap <= 0 || p->fgap % s->step || p->fcount < 0 ||
        p->fsegs < 1 || p->fsegs > 8 || p->flen < 0 || p->flen > 1000 || p->ffrg < -1 ||
        (p->fsegs < 8 && p->ffrg >= (1L << (8 * p->fsegs))))
      die("bad forge/fgap/fcount/fsegs/flen/ffrg", s->name);
  }
  /* Forged segments take sequence numbers the peer would use: that direction must carry nothing
     else, or the receiver's payload check fails. */
  for (int i = 0; i < 2; i++) {
    if (s->side[i].forge > 0 && s->side[1 - i].msgs > 0) die("forging into an endpoint whose peer sends", s->name);
  }
}

/* The canonical, fully expanded parameter line (every key, fixed order). */
static void print_params(FILE *f, const scenario *s) {
  fprintf(f, "S name=%s", s->name);
  for (size_t k = 0; k < NKEYS; k++) fprintf(f, " %s=%ld", KEYS[k].key, *field((scenario *)s, KEYS[k].offset));
  fprintf(f, "\n");
}

/* ------------------------------------------------------------------------------------------ */
/* Randomness, checksums, payload                                                              */
/* ------------------------------------------------------------------------------------------ */

static uint32_t rng;

static uint32_t next_random(void) {
  uint32_t x = rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rng = x;
  return x;
}

static uint32_t crc_table[256];

static void crc_init(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}

static uint32_t crc32_of(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

/* Byte number pos (0-based, over everything one side ever sends) of side's outgoing stream. */
static unsigned char payload_byte(int side, uint64_t pos) {
  return (unsigned char)((pos * 7) ^ (pos >> 8) ^ (side ? 0x5a : 0x00));
}

/* ------------------------------------------------------------------------------------------ */
/* Event stream output                                                                         */
/* ------------------------------------------------------------------------------------------ */

static FILE *out;
static int line_len;          /* chars on the current "E" line, 0 = none open */
static long long last_time;   /* elapsed ms of the latest "+dt" (or 0) */
static long long now_elapsed; /* elapsed ms of the current step */
static long zero_inputs; /* ikcp_input calls that returned 0 since the previous Z line */

static void token_raw(const char *t) {
  int n = (int)strlen(t);
  if (line_len > 0 && line_len + 1 + n > LINE_WIDTH) {
    fputc('\n', out);
    line_len = 0;
  }
  if (line_len == 0) {
    fputs("E", out);
    line_len = 1;
  }
  fputc(' ', out);
  fputs(t, out);
  line_len += 1 + n;
}

/* Every event token is preceded by "+dt" when time moved since the previous event. */
static void token(const char *t) {
  if (now_elapsed != last_time) {
    char buf[32];
    snprintf(buf, sizeof buf, "+%lld", now_elapsed - last_time);
    last_time = now_elapsed;
    token_raw(buf);
  }
  token_raw(t);
}

static void end_lines(void) {
  if (line_len > 0) {
    fputc('\n', out);
    line_len = 0;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Simulation                                                                                  */
/* ------------------------------------------------------------------------------------------ */

typedef struct {
  int from; /* 0 = A, 1 = B */
  long long elapsed;
  uint32_t clock;
  int len;
  unsigned char *bytes;
} datagram;

typedef struct {
  long long arrival;
  int dg; /* 0-based datagram index */
  int copy;
  int damage;     /* -1 none, else 0 truncate, 1 conv, 2 cmd, 3 len */
  uint32_t where; /* truncated length, or the index of the damaged segment */
  uint32_t scramble; /* 0 none, else the seed of the frg values written into its PUSH segments */
} flight;

static const scenario *cur;
static datagram *dgs;
static int ndgs, capdgs;
static flight *flights;
static int nflights, capflights;
static int dump_from = -1, dump_count = 0;
static ikcpcb *kcps[2];
static long cmd_count[2][4]; /* segments emitted per endpoint and cmd (PUSH, ACK, WASK, WINS) */

static void *grow(void *p, int *cap, int need, size_t elem) {
  if (need <= *cap) return p;
  int n = *cap ? *cap * 2 : 1024;
  while (n < need) n *= 2;
  p = realloc(p, (size_t)n * elem);
  if (!p) die("out of memory", NULL);
  *cap = n;
  return p;
}

static uint32_t le32(const unsigned char *p) {
  return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void describe(FILE *f, const datagram *d, int index) {
  fprintf(f, "D%d %s elapsed=%lld clock=%u len=%d crc32=%x\n", index, d->from ? "B->A" : "A->B", d->elapsed,
          d->clock, d->len, crc32_of(d->bytes, d->len));
  fprintf(f, "  hex ");
  for (int i = 0; i < d->len; i++) fprintf(f, "%02x", d->bytes[i]);
  fprintf(f, "\n");
  for (int off = 0, k = 0; off + 24 <= d->len; k++) {
    const unsigned char *p = d->bytes + off;
    uint32_t len = le32(p + 20);
    static const char *names[] = {"PUSH", "ACK", "WASK", "WINS"};
    fprintf(f, "  seg%d @%d conv=0x%08x cmd=%u(%s) frg=%u wnd=%u ts=%u sn=%u una=%u len=%u\n", k, off,
            le32(p), p[4], (p[4] >= 81 && p[4] <= 84) ? names[p[4] - 81] : "?", p[5], p[6] | p[7] << 8,
            le32(p + 8), le32(p + 12), le32(p + 16), len);
    off += 24 + (int)len;
  }
}

static int output_cb(const char *buf, int len, ikcpcb *kcp, void *user) {
  int from = (int)(intptr_t)user;
  dgs = grow(dgs, &capdgs, ndgs + 1, sizeof *dgs);
  datagram *d = &dgs[ndgs];
  d->from = from;
  d->elapsed = now_elapsed;
  d->clock = (uint32_t)(cur->t0 + now_elapsed);
  d->len = len;
  d->bytes = malloc((size_t)len);
  memcpy(d->bytes, buf, (size_t)len);
  int index = ++ndgs; /* 1-based in the file */

  if (dump_from < 0) {
    char t[48];
    snprintf(t, sizeof t, "%c%d.%x", from ? 'b' : 'a', len, crc32_of(d->bytes, len));
    token(t);
  } else if (index >= dump_from && index < dump_from + dump_count) {
    describe(stdout, d, index);
  }

  /* The link: loss draw; if kept, duplicate draw; then one delay draw per copy. */
  const link_params *l = &cur->link[from];
  if (next_random() % 1000 < (uint32_t)l->loss) return 0;
  int copies = (next_random() % 1000 < (uint32_t)l->dup) ? 2 : 1;
  int segments = 0;
  for (int off = 0; off + 24 <= len; segments++) {
    unsigned cmd = d->bytes[off + 4];
    if (cmd >= 81 && cmd <= 84) cmd_count[from][cmd - 81]++;
    off += 24 + (int)le32(d->bytes + off + 20);
  }
  for (int c = 0; c < copies; c++) {
    long delay = l->dmin + (long)(next_random() % (uint32_t)(l->dmax - l->dmin + 1));
    flight *f;
    flights = grow(flights, &capflights, nflights + 1, sizeof *flights);
    f = &flights[nflights++];
    f->arrival = now_elapsed + delay;
    f->dg = index - 1;
    f->copy = c;
    f->damage = -1;
    f->where = 0;
    f->scramble = 0;
    if (next_random() % 1000 < (uint32_t)l->corrupt) {
      f->damage = (int)(next_random() % 4);
      f->where = next_random() % (uint32_t)(f->damage == 0 ? len : segments);
    }
    /* drawn only when the link scrambles, so scenarios without it keep their draws */
    if (l->scramble > 0 && next_random() % 1000 < (uint32_t)l->scramble) f->scramble = next_random();
  }
  return 0;
}

static void put_le32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  p[2] = (unsigned char)(v >> 16);
  p[3] = (unsigned char)(v >> 24);
}

/* Rewrites the frg of every PUSH segment of buf[0..len) with values of a private xorshift32
   stream seeded with seed (never 0: it is a draw), each value % (fmax + 1). */
static void scramble_frg(unsigned char *buf, int len, uint32_t seed, long fmax) {
  uint32_t x = seed;
  for (int off = 0; off + 24 <= len; off += 24 + (int)le32(buf + off + 20)) {
    if (buf[off + 4] != 81) continue;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    buf[off + 5] = (unsigned char)(x % (uint32_t)(fmax + 1));
  }
}

/* Builds the forged datagram delivered to endpoint i (see print_format) into buf; returns its
   length. Its fields come from i's own state, so only the fragment counts are news to it. */
static int forge_datagram(const scenario *s, int i, uint32_t clock, unsigned char *buf) {
  const side_params *p = &s->side[i];
  const ikcpcb *k = kcps[i];
  int n = 0;
  for (long seg = 0; seg < p->fsegs; seg++) {
    uint32_t sn = k->rcv_nxt + (uint32_t)seg;
    unsigned frg = p->ffrg < 0 ? next_random() % (uint32_t)(s->link[1 - i].fmax + 1)
                               : (unsigned)((p->ffrg >> (8 * (p->fsegs - 1 - seg))) & 0xff);
    unsigned char *h = buf + n;
    put_le32(h, CONV);
    h[4] = 81;
    h[5] = (unsigned char)frg;
    h[6] = (unsigned char)(k->rmt_wnd & 0xff);
    h[7] = (unsigned char)((k->rmt_wnd >> 8) & 0xff);
    put_le32(h + 8, clock);
    put_le32(h + 12, sn);
    put_le32(h + 16, k->snd_una);
    put_le32(h + 20, (uint32_t)p->flen);
    n += 24;
    for (long j = 0; j < p->flen; j++) buf[n++] = payload_byte(1 - i, (uint64_t)sn * (uint64_t)p->flen + (uint64_t)j);
  }
  return n;
}

static int flight_order(const void *x, const void *y) {
  const flight *a = x, *b = y;
  if (a->arrival != b->arrival) return a->arrival < b->arrival ? -1 : 1;
  if (a->dg != b->dg) return a->dg < b->dg ? -1 : 1;
  return a->copy - b->copy;
}

static void snapshot_fields(char *buf, size_t n, const ikcpcb *k, uint32_t clock) {
  uint32_t next = ikcp_check(k, clock);
  snprintf(buf, n, "%u,%u,%u,%d,%d,%d,%u,%u,%u,%u,%u,%u,%u,%u,%d,%d", k->snd_una, k->snd_nxt, k->rcv_nxt,
           k->rx_srtt, k->rx_rttval, k->rx_rto, k->cwnd, k->ssthresh, k->rmt_wnd, k->nsnd_buf, k->nsnd_que,
           k->nrcv_buf, k->nrcv_que, k->xmit, k->state == (IUINT32)-1 ? 1 : 0, (int32_t)(next - clock));
}

static void snapshot(const char *tag, uint32_t clock) {
  char a[256], b[256];
  end_lines();
  snapshot_fields(a, sizeof a, kcps[0], clock);
  snapshot_fields(b, sizeof b, kcps[1], clock);
  fprintf(out, "%s %lld in=%ld a=%s b=%s\n", tag, now_elapsed, zero_inputs, a, b);
  zero_inputs = 0;
}

static void run(const scenario *s) {
  static unsigned char rbuf[RBUF_SIZE];
  static unsigned char sbuf[RBUF_SIZE];
  cur = s;
  rng = (uint32_t)s->seed;
  ndgs = 0;
  nflights = 0;
  line_len = 0;
  last_time = 0;
  zero_inputs = 0;
  memset(cmd_count, 0, sizeof cmd_count);

  for (int i = 0; i < 2; i++) {
    const side_params *p = &s->side[i];
    ikcpcb *k = ikcp_create(CONV, (void *)(intptr_t)i);
    k->output = output_cb;
    ikcp_wndsize(k, (int)p->swnd, (int)p->rwnd);
    if (p->mtu != 1400 && ikcp_setmtu(k, (int)p->mtu) != 0) die("ikcp_setmtu failed", s->name);
    ikcp_nodelay(k, (int)p->nd, (int)p->interval, (int)p->rs, (int)p->nc);
    if (p->minrto > 0) k->rx_minrto = (int)p->minrto;
    k->fastlimit = (int)p->fl;
    k->stream = (int)p->stream;
    kcps[i] = k;
  }

  if (dump_from < 0) {
    fprintf(out, "\n");
    print_params(out, s);
  }

  long sent_msgs[2] = {0, 0};
  uint64_t sent_bytes[2] = {0, 0}, recv_bytes[2] = {0, 0};
  long recv_calls[2] = {0, 0}, inputs = 0;
  uint32_t next_update[2] = {0, 0};
  int has_next[2] = {0, 0};
  int hex_done = 0;

  for (now_elapsed = 0; now_elapsed <= s->dur; now_elapsed += s->step) {
    uint32_t clock = (uint32_t)(s->t0 + now_elapsed);

    /* (0) reconfiguration */
    for (int i = 0; i < 2; i++) {
      const side_params *p = &s->side[i];
      if (p->cat > 0 && now_elapsed == p->cat) {
        ikcp_wndsize(kcps[i], (int)p->cswnd, (int)p->crwnd);
        ikcp_nodelay(kcps[i], (int)p->cnd, (int)p->cint, (int)p->crs, (int)p->cnc);
      }
    }

    /* (1) sends: A then B, one size draw per message */
    for (int i = 0; i < 2; i++) {
      const side_params *p = &s->side[i];
      if (now_elapsed < p->start || (now_elapsed - p->start) % p->gap != 0) continue;
      long sent_now = 0;
      for (long m = 0; m < p->burst && sent_msgs[i] < p->msgs; m++, sent_now++) {
        long size = p->smin + (long)(next_random() % (uint32_t)(p->smax - p->smin + 1));
        for (long j = 0; j < size; j++) sbuf[j] = payload_byte(i, sent_bytes[i] + (uint64_t)j);
        int r = ikcp_send(kcps[i], (const char *)sbuf, (int)size);
        sent_msgs[i]++;
        if (r == size) {
          sent_bytes[i] += (uint64_t)size;
        } else if (dump_from < 0) {
          char t[48];
          snprintf(t, sizeof t, "s%c%d", i ? 'b' : 'a', r);
          token(t);
          if (r > 0) sent_bytes[i] += (uint64_t)r;
        }
      }
      if ((p->flush & 1) && sent_now > 0) ikcp_flush(kcps[i]);
    }

    /* (2) forged datagrams due (A then B), then deliveries due, by (arrival, datagram index, copy) */
    for (int i = 0; i < 2; i++) {
      const side_params *p = &s->side[i];
      if (p->forge <= 0 || now_elapsed < p->forge || (now_elapsed - p->forge) % p->fgap != 0 ||
          (now_elapsed - p->forge) / p->fgap >= p->fcount)
        continue;
      int n = forge_datagram(s, i, clock, sbuf);
      int r = ikcp_input(kcps[i], (const char *)sbuf, n);
      inputs++;
      if (dump_from >= 0) continue;
      if (r == 0) {
        zero_inputs++;
      } else {
        char t[32];
        snprintf(t, sizeof t, "I%d", r);
        token(t);
      }
    }
    int due = 0;
    for (int f = 0; f < nflights; f++) {
      if (flights[f].arrival <= now_elapsed) {
        flight t = flights[due];
        flights[due] = flights[f];
        flights[f] = t;
        due++;
      }
    }
    qsort(flights, (size_t)due, sizeof *flights, flight_order);
    for (int f = 0; f < due; f++) {
      const datagram *d = &dgs[flights[f].dg];
      int r;
      if (flights[f].damage < 0 && flights[f].scramble == 0) {
        r = ikcp_input(kcps[1 - d->from], (const char *)d->bytes, d->len);
      } else {
        int n = d->len;
        memcpy(sbuf, d->bytes, (size_t)d->len);
        if (flights[f].scramble) scramble_frg(sbuf, n, flights[f].scramble, cur->link[d->from].fmax);
        if (flights[f].damage < 0) {
          /* scrambled only */
        } else if (flights[f].damage == 0) {
          n = (int)flights[f].where;
        } else {
          int off = 0;
          for (uint32_t k = 0; k < flights[f].where; k++) off += 24 + (int)le32(sbuf + off + 20);
          if (flights[f].damage == 1) sbuf[off] ^= 0xff;                 /* conv */
          else if (flights[f].damage == 2) sbuf[off + 4] = 0;            /* cmd */
          else sbuf[off + 23] |= 0x80;                                   /* len (int)len < 0 */
        }
        r = ikcp_input(kcps[1 - d->from], (const char *)sbuf, n);
      }
      inputs++;
      if (dump_from >= 0) continue;
      if (r == 0) {
        zero_inputs++;
      } else {
        char t[32];
        snprintf(t, sizeof t, "I%d", r);
        token(t);
      }
    }
    for (int i = 0; i < 2; i++) {
      if (!(s->side[i].flush & 2)) continue;
      for (int f = 0; f < due; f++) {
        if (dgs[flights[f].dg].from != i) {
          ikcp_flush(kcps[i]);
          break;
        }
      }
    }
    memmove(flights, flights + due, (size_t)(nflights - due) * sizeof *flights);
    nflights -= due;

    /* (3) receive: A then B, up to rlim messages each, not while stalled */
    for (int i = 0; i < 2; i++) {
      const side_params *p = &s->side[i];
      if (now_elapsed >= p->stall0 && now_elapsed < p->stall1) continue;
      for (long m = 0; p->rlim == 0 || m < p->rlim; m++) {
        int n = ikcp_recv(kcps[i], (char *)rbuf, RBUF_SIZE);
        if (n < 0) break;
        for (int j = 0; j < n; j++) {
          if (rbuf[j] != payload_byte(1 - i, recv_bytes[i] + (uint64_t)j)) {
            fprintf(stderr, "harness: %s: %c received a wrong byte at stream offset %llu\n", s->name,
                    i ? 'B' : 'A', (unsigned long long)(recv_bytes[i] + (uint64_t)j));
            exit(3);
          }
        }
        recv_bytes[i] += (uint64_t)n;
        recv_calls[i]++;
        if (dump_from < 0) {
          char t[32];
          snprintf(t, sizeof t, "%c%d", i ? 'B' : 'A', n);
          token(t);
        }
      }
    }

    /* (4) update A, then B (the link draws happen inside, per emitted datagram) */
    for (int i = 0; i < 2; i++) {
      if (now_elapsed >= s->side[i].pause0 && now_elapsed < s->side[i].pause1) continue;
      if (s->side[i].chk && has_next[i] && (int32_t)(clock - next_update[i]) < 0) continue;
      ikcp_update(kcps[i], clock);
      if (s->side[i].chk) {
        next_update[i] = ikcp_check(kcps[i], clock);
        has_next[i] = 1;
      }
    }

    /* (5) periodic snapshot */
    if (dump_from < 0 && now_elapsed % s->snap == 0) snapshot("Z", clock);
  }

  if (dump_from < 0) {
    for (int i = 0; i < ndgs && hex_done < HEX_DATAGRAMS; i++, hex_done++) {
      fprintf(out, "H %d ", i + 1);
      for (int off = 0; off + 24 <= dgs[i].len;) {
        const unsigned char *p = dgs[i].bytes + off;
        for (int b = 0; b < 24; b++) fprintf(out, "%02x", p[b]);
        off += 24 + (int)le32(p + 20);
        if (off + 24 <= dgs[i].len) fputc('/', out);
      }
      fputc('\n', out);
    }
    fprintf(out,
            "T datagrams=%d inputs=%ld recvA=%ld recvB=%ld bytesA=%llu bytesB=%llu sentA=%llu sentB=%llu"
            " segsA=%ld/%ld/%ld/%ld segsB=%ld/%ld/%ld/%ld\n",
            ndgs, inputs, recv_calls[0], recv_calls[1], (unsigned long long)recv_bytes[0],
            (unsigned long long)recv_bytes[1], (unsigned long long)sent_bytes[0],
            (unsigned long long)sent_bytes[1], cmd_count[0][0], cmd_count[0][1], cmd_count[0][2],
            cmd_count[0][3], cmd_count[1][0], cmd_count[1][1], cmd_count[1][2], cmd_count[1][3]);
  }
  for (int i = 0; i < ndgs; i++) free(dgs[i].bytes);
  ikcp_release(kcps[0]);
  ikcp_release(kcps[1]);
}

static void print_format(FILE *f) {
  static const char *text[] = {
      "# KCP differential vectors under loss, reordering, duplication and window pressure.",
      "# Generated by tools/ikcp-diff/harness.c linked with the C reference ikcp.c (skywind3000/kcp,",
      "# IKCP_FASTACK_CONSERVE defined); see tools/ikcp-diff/README.md to regenerate. Replayed by",
      "# kcp-core/src/test/java/io/kcpj/core/vectors/LossyReferenceVectorTest.java.",
      "#",
      "# SCENARIO LINE  \"S name=N key=value ...\" lists every parameter (nothing is defaulted):",
      "#   seed      xorshift32 seed (x ^= x<<13; x ^= x>>17; x ^= x<<5 on uint32; value = new x)",
      "#   t0        engine clock at elapsed 0; the clock given to ikcp_update is (t0 + elapsed) mod 2^32",
      "#   step/dur  virtual steps at elapsed = 0, step, 2*step, ... dur (ms); snap: snapshot period (ms)",
      "#   a.* / b.* endpoint A / B. Engine, applied in this order after ikcp_create(0x11223344):",
      "#               ikcp_wndsize(swnd, rwnd); ikcp_setmtu(mtu) unless 1400; ikcp_nodelay(nd, int, rs, nc);",
      "#               rx_minrto = minrto if minrto > 0; fastlimit = fl; stream = stream.",
      "#             Workload: at every elapsed e >= start with (e - start) % gap == 0 the endpoint sends",
      "#               up to burst messages (msgs in total), each of a size drawn in [smin, smax];",
      "#               it receives (recv until < 0, at most rlim messages per step, 0 = no limit)",
      "#               except while stall0 <= e < stall1.",
      "#             At elapsed cat (if > 0): ikcp_wndsize(cswnd, crwnd); ikcp_nodelay(cnd, cint, crs, cnc)",
      "#               (values <= 0 / < 0 leave a setting unchanged, as in ikcp; nodelay resets rx_minrto).",
      "#             No ikcp_update while pause0 <= e < pause1 (the endpoint's clock jumps on resume).",
      "#             flush bit 1: ikcp_flush after the step's sends if it sent; bit 2: ikcp_flush after the",
      "#               step's deliveries if some datagram was delivered to it (A then B).",
      "#             chk=1: ikcp_update only at steps where (int32)(clock - next) >= 0, next being",
      "#               ikcp_check(clock) after its previous update (the first update always happens).",
      "#             Payload: byte p of everything an endpoint sends (p counted from 0 over all its",
      "#               messages) is (p*7 ^ p>>8 ^ (0 for A, 0x5a for B)) & 0xff; receivers check it.",
      "#             Forged datagrams (forge > 0; the peer must send no messages): at every elapsed",
      "#               e = forge + j*fgap, j < fcount, the endpoint X is given (before the step's",
      "#               deliveries) one datagram as if from its peer: fsegs PUSH segments, segment k",
      "#               (0-based) with conv 0x11223344, frg = byte (fsegs-1-k) of ffrg (ffrg = 0x020505",
      "#               and fsegs = 3 give frg 2, 5, 5) or, if ffrg = -1, frg = draw % (fmax + 1) of",
      "#               the link into X (one draw per segment, in order), wnd = X's rmt_wnd, ts = clock,",
      "#               sn = X's rcv_nxt + k, una = X's snd_una, len = flen, payload byte j =",
      "#               payload of the peer at p = sn*flen + j (X's state read just before the input).",
      "#   ab.* / ba.* the link A->B / B->A: loss, dup and corrupt in per mille, delay in [dmin, dmax] ms;",
      "#             scramble: per mille of delivered copies whose PUSH segments get random frg in",
      "#             [0, fmax] (see 4).",
      "#",
      "# ONE STEP at elapsed e (clock = t0 + e):",
      "#   0. reconfiguration of A then B if e == cat",
      "#   1. sends: A then B; per message one draw: size = smin + r % (smax - smin + 1)",
      "#   2. forged datagrams due to A, then to B (see Forged datagrams); then deliveries: every copy",
      "#      with arrival <= e, ordered by (arrival, datagram number, copy), each passed to",
      "#      ikcp_input of the other endpoint (scrambled, then damaged, as drawn, see 4)",
      "#   3. receives: A then B (ikcp_recv into a 1 MiB buffer)",
      "#   4. ikcp_update(A, clock); ikcp_update(B, clock) (unless paused). For each datagram handed to",
      "#      the output callback, in order: r = draw; lost if r % 1000 < loss; else r = draw; copies = 2",
      "#      if r % 1000 < dup else 1; per copy: arrival = e + dmin + draw % (dmax - dmin + 1); then",
      "#      r = draw; if r % 1000 < corrupt the copy is damaged: kind = draw % 4, then w = draw % len",
      "#      (kind 0: delivered truncated to w bytes) or w = draw % segments (kind 1: byte 0 of segment",
      "#      w's conv ^= 0xff; kind 2: its cmd = 0; kind 3: its len |= 0x80000000); then, only if",
      "#      scramble > 0: r = draw; if r % 1000 < scramble the copy is scrambled with seed x = draw:",
      "#      for each PUSH segment in order, x = xorshift32(x) (a private stream, not the scenario's)",
      "#      and its frg = x % (fmax + 1)",
      "#   5. if e % snap == 0: a Z line",
      "#",
      "# EVENT STREAM  \"E\" lines hold space-separated tokens, in the order the events happened:",
      "#   +D        elapsed time advanced by D ms since the previous event (starts at 0)",
      "#   aL.C bL.C a datagram handed to the output callback by A (A->B) / B (B->A): L bytes, CRC32 C (hex)",
      "#   IR        an ikcp_input call returned R != 0 (calls returning 0 are counted in Z lines;",
      "#             forged datagrams are inputs too)",
      "#   AN BN     ikcp_recv by A / B returned N >= 0 bytes",
      "#   saR sbR   ikcp_send by A / B returned R, not the message size (not written when equal)",
      "# Z e in=N a=F b=F  after step e's updates: N = ikcp_input calls that returned 0 since the",
      "#   previous Z line; F = the state of A / B: snd_una,snd_nxt,rcv_nxt,rx_srtt,rx_rttval,rx_rto,",
      "#   cwnd,ssthresh,rmt_wnd,nsnd_buf,nsnd_que,nrcv_buf,nrcv_que,xmit,dead(state==-1),",
      "#   ikcp_check(clock)-clock",
      "# H n hdr/hdr/...  the 24-byte segment headers of datagram n (n <= 50), hex; payload omitted",
      "#   (the CRC32 covers it)",
      "# T ...     totals at the end of the run; recvX/bytesX: ikcp_recv calls and bytes of X; sentX: bytes",
      "#           X queued; segsX=P/A/K/N: PUSH/ACK/WASK/WINS segments in X's datagrams",
      NULL};
  for (int i = 0; text[i]; i++) fprintf(f, "%s\n", text[i]);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: harness SCENARIOS [--only NAME | --dump NAME FROM COUNT]\n");
    return 2;
  }
  const char *only = NULL;
  if (argc >= 4 && strcmp(argv[2], "--only") == 0) only = argv[3];
  if (argc >= 6 && strcmp(argv[2], "--dump") == 0) {
    only = argv[3];
    dump_from = atoi(argv[4]);
    dump_count = atoi(argv[5]);
  }
  crc_init();
  out = stdout;
  FILE *in = fopen(argv[1], "r");
  if (!in) die("cannot open", argv[1]);
  if (dump_from < 0) print_format(out);
  static char line[8192];
  int count = 0;
  while (fgets(line, sizeof line, in)) {
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || *p == '\n' || *p == '\r' || *p == 0) continue;
    scenario s;
    parse_scenario(p, &s);
    if (only && strcmp(only, s.name) != 0) continue;
    run(&s);
    count++;
  }
  fclose(in);
  if (count == 0) die("no scenario ran", only);
  return 0;
}
