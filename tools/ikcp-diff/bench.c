/*
 * bench.c - the C reference engine under kcpj's KcpEngineBenchmark workload, for side-by-side
 * ratios (our code; the reference ikcp.c is compiled in from a directory given at build time and
 * is not part of this repository, see README.md).
 *
 * Workload (identical to bench/src/main/java/io/kcpj/bench/jmh/KcpEngineBenchmark.java): two
 * engines back to back in memory, conv 0x11223344, ikcp_nodelay(1, 10, 2, 1), mtu 1400, both
 * windows = WND, a virtual clock advanced 10 ms per tick. Each tick: top up A while
 * ikcp_waitsnd(A) < 2 * WND; update(A); deliver A->B; recv everything on B; update(B); deliver
 * B->A. A datagram is dropped (either direction) when xorshift32() % 1000 < LOSS, one generator
 * for both directions, seed 12345.
 *
 * usage: bench SIZE WND LOSS_PERMILLE [SECONDS_PER_ITERATION [ITERATIONS]]
 * prints one line per iteration (messages/s) and the median.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ikcp.h"

typedef struct { unsigned char *buf; int len; } Datagram;
typedef struct { Datagram *d; int n, cap; } Queue;

static unsigned int rng = 12345;
static int loss_permille;

static unsigned int xorshift32(void) {
  rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng;
}

static int output(const char *buf, int len, ikcpcb *kcp, void *user) {
  Queue *q = (Queue *) user;
  (void) kcp;
  if (xorshift32() % 1000 < (unsigned) loss_permille) return 0;
  if (q->n == q->cap) {
    q->cap = q->cap ? q->cap * 2 : 64;
    q->d = realloc(q->d, sizeof(Datagram) * q->cap);
    for (int i = q->n; i < q->cap; i++) { q->d[i].buf = malloc(1500); q->d[i].len = 0; }
  }
  memcpy(q->d[q->n].buf, buf, len);
  q->d[q->n].len = len;
  q->n++;
  return 0;
}

static void deliver(Queue *q, ikcpcb *to) {
  for (int i = 0; i < q->n; i++) ikcp_input(to, (const char *) q->d[i].buf, q->d[i].len);
  q->n = 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: bench SIZE WND LOSS_PERMILLE [SECONDS [ITERATIONS]]\n"); return 2; }
  int size = atoi(argv[1]), wnd = atoi(argv[2]);
  loss_permille = atoi(argv[3]);
  double seconds = argc > 4 ? atof(argv[4]) : 2.0;
  int iterations = argc > 5 ? atoi(argv[5]) : 5;
  Queue ab = {0}, ba = {0};
  ikcpcb *a = ikcp_create(0x11223344, &ab), *b = ikcp_create(0x11223344, &ba);
  ikcp_setoutput(a, output); ikcp_setoutput(b, output);
  ikcp_nodelay(a, 1, 10, 2, 1); ikcp_nodelay(b, 1, 10, 2, 1);
  ikcp_setmtu(a, 1400); ikcp_setmtu(b, 1400);
  ikcp_wndsize(a, wnd, wnd); ikcp_wndsize(b, wnd, wnd);
  char *msg = malloc(size), *rbuf = malloc(size > 1400 ? size : 1400);
  for (int i = 0; i < size; i++) msg[i] = (char) i;
  IUINT32 clock = 0;
  double results[64];
  for (int it = -1; it < iterations && it < 64; it++) { /* iteration -1 is a warm-up */
    long long messages = 0;
    double start = now_s(), end;
    do {
      for (int k = 0; k < 64; k++) {
        clock += 10;
        while (ikcp_waitsnd(a) < 2 * wnd) ikcp_send(a, msg, size);
        ikcp_update(a, clock);
        deliver(&ab, b);
        while (ikcp_recv(b, rbuf, size > 1400 ? size : 1400) >= 0) messages++;
        ikcp_update(b, clock);
        deliver(&ba, a);
      }
      end = now_s();
    } while (end - start < seconds);
    if (it >= 0) {
      results[it] = messages / (end - start);
      printf("iteration %d: %.3f M messages/s\n", it + 1, results[it] / 1e6);
    }
  }
  qsort(results, iterations, sizeof(double), cmp);
  printf("median: %.3f M messages/s (size %d, window %d, loss %d permille)\n",
         results[iterations / 2] / 1e6, size, wnd, loss_permille);
  return 0;
}
