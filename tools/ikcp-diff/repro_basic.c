/*
 * repro_basic.c - regenerates the scripted part of
 * kcp-core/src/test/resources/ikcp-vectors.txt (from the first "####" line to the end)
 * by driving the C reference through the two scenarios that file describes.
 * Used only to prove that a copy of ikcp.c/ikcp.h is the reference the file was made with.
 *
 * Build: see build.sh (needs -I<reference dir> and <reference dir>/ikcp.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ikcp.h"

#define CONV 0x11223344u
#define DELAY 20
#define MAXDG 4096

typedef struct {
  int index;
  int dir; /* 0 = A->B, 1 = B->A */
  unsigned sent;
  int len;
  unsigned char *bytes;
} dgram;

static dgram dgs[MAXDG];
static int ndg;
static unsigned now;
static int emitted_this_step;

static int out_cb(const char *buf, int len, ikcpcb *kcp, void *user) {
  dgram *d = &dgs[ndg];
  d->index = ndg + 1;
  d->dir = (int)(long)user;
  d->sent = now;
  d->len = len;
  d->bytes = malloc(len);
  memcpy(d->bytes, buf, len);
  ndg++;
  emitted_this_step = 1;
  printf("\n# D%d  %s  sent_t=%u  len=%d\nD%d ", d->index, d->dir ? "B->A" : "A->B", d->sent, len,
         d->index);
  for (int i = 0; i < len; i++) printf("%02x", (unsigned char)buf[i]);
  printf("\n");
  int off = 0, k = 0;
  while (off + 24 <= len) {
    const unsigned char *p = (const unsigned char *)buf + off;
    unsigned conv = p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24;
    unsigned cmd = p[4], frg = p[5], wnd = p[6] | p[7] << 8;
    unsigned ts = p[8] | p[9] << 8 | p[10] << 16 | (unsigned)p[11] << 24;
    unsigned sn = p[12] | p[13] << 8 | p[14] << 16 | (unsigned)p[15] << 24;
    unsigned una = p[16] | p[17] << 8 | p[18] << 16 | (unsigned)p[19] << 24;
    unsigned sl = p[20] | p[21] << 8 | p[22] << 16 | (unsigned)p[23] << 24;
    printf("#   seg%d @%d: conv|cmd|frg|wnd|ts|sn|una|len = ", k, off);
    for (int i = 0; i < 4; i++) printf("%02x", p[i]);
    printf(" %02x %02x %02x%02x ", p[4], p[5], p[6], p[7]);
    for (int f = 8; f < 24; f += 4) {
      for (int i = 0; i < 4; i++) printf("%02x", p[f + i]);
      printf(f < 20 ? " " : "\n");
    }
    const char *name = cmd == 81 ? "PUSH" : cmd == 82 ? "ACK" : cmd == 83 ? "WASK" : "WINS";
    printf("#     conv=0x%08x cmd=%u(%s) frg=%u wnd=%u ts=%u sn=%u una=%u len=%u", conv, cmd, name,
           frg, wnd, ts, sn, una, sl);
    if (sl > 0) {
      unsigned show = sl > 8 ? 8 : sl;
      printf(" data[0..%u]=", show - 1);
      for (unsigned i = 0; i < show; i++) printf("%02x", p[24 + i]);
      if (sl > 8) printf("...");
    }
    printf("\n");
    off += 24 + sl;
    k++;
  }
  return 0;
}

static void state(const char *who, ikcpcb *k) {
  printf("#   %s: snd_una=%u snd_nxt=%u rcv_nxt=%u rx_srtt=%d rx_rttval=%d rx_rto=%d cwnd=%u "
         "ssthresh=%u rmt_wnd=%u nsnd_buf=%u nsnd_que=%u nrcv_buf=%u nrcv_que=%u xmit=%u\n",
         who, k->snd_una, k->snd_nxt, k->rcv_nxt, k->rx_srtt, k->rx_rttval, k->rx_rto, k->cwnd,
         k->ssthresh, k->rmt_wnd, k->nsnd_buf, k->nsnd_que, k->nrcv_buf, k->nrcv_que, k->xmit);
}

static void run(int scenario) {
  static char m[3000], rbuf[8192];
  for (int i = 0; i < 3000; i++) m[i] = (char)(i % 251);
  ndg = 0;
  ikcpcb *a = ikcp_create(CONV, (void *)0L);
  ikcpcb *b = ikcp_create(CONV, (void *)1L);
  a->output = out_cb;
  b->output = out_cb;
  ikcp_setmtu(a, 1400);
  ikcp_setmtu(b, 1400);
  if (scenario == 1) {
    ikcp_nodelay(a, 1, 10, 2, 1);
    ikcp_nodelay(b, 1, 10, 2, 1);
  }
  printf("########################################################################\n");
  if (scenario == 1)
    printf("# SCENARIO 1: ikcp_nodelay(1, 10, 2, 1) on A and B\n");
  else
    printf("# SCENARIO 2: defaults (nodelay 0, interval 100, resend 0, nc 0)\n");
  printf("########################################################################\n");
  int delivered = 0, received = 0;
  unsigned last_emit = 0;
  for (now = 1000; now <= 3000; now += 10) {
    if (now == 1000) {
      printf("# t=1000  ikcp_send(A, \"hello\", 5) -> %d\n", ikcp_send(a, "hello", 5));
      printf("# t=1000  ikcp_send(A, M, 3000) -> %d\n", ikcp_send(a, m, 3000));
    }
    while (delivered < ndg && dgs[delivered].sent + DELAY <= now) {
      dgram *d = &dgs[delivered++];
      int r = ikcp_input(d->dir ? a : b, (const char *)d->bytes, d->len);
      printf("# t=%u  ikcp_input(%s, D%d) -> %d\n", now, d->dir ? "A" : "B", d->index, r);
    }
    for (;;) {
      int n = ikcp_recv(b, rbuf, sizeof rbuf);
      if (n < 0) break;
      const char *what = (n == 5 && memcmp(rbuf, "hello", 5) == 0) ? "\"hello\""
                         : (n == 3000 && memcmp(rbuf, m, 3000) == 0) ? "M" : "?";
      printf("# t=%u  ikcp_recv(B) -> %d bytes, == %s\n", now, n, what);
      received++;
    }
    emitted_this_step = 0;
    ikcp_update(a, now);
    ikcp_update(b, now);
    if (emitted_this_step) {
      if (emitted_this_step) last_emit = now;
      printf("# after t=%u updates:\n", now);
      state("A", a);
      state("B", b);
    }
  }
  printf("\n# end of run (t=1000..3000): %d datagrams total, last emitted at t=%u, B received %d "
         "messages\n# final state:\n", ndg, last_emit, received);
  state("A", a);
  state("B", b);
  ikcp_release(a);
  ikcp_release(b);
}

int main(void) {
  run(1);
  printf("\n");
  run(2);
  return 0;
}
