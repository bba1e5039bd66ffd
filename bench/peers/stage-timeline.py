#!/usr/bin/env python3
"""Per-stage medians of one message's path from two StageTrace files (client, server).

Usage: stage-timeline.py CLIENT_TRACE SERVER_TRACE [LAST_N] [warm]
Each file holds "stage nanos" lines (io.kcpj.netty.internal.StageTrace, -Dkcpj.traceStages=FILE). The last
LAST_N (default 300) KCP sends and raw sends of the client are followed stage by stage: each stage
is the first mark of that stage in that process after the previous stage's time; a stage in the
other process is searched from the sender's last mark before its system call (the peer may read the
datagram before the sender's flush returns), and the step is then measured from that mark. Sends closer than
2.5 ms to the previous one (the warm-up's denser schedule) are skipped; with "warm", only those are
taken (the last LAST_N of the warm-up: the same path with hot caches). Prints the median and p90 of
each step and of the whole round trip, for KCP and for the raw twin.
"""
import bisect, sys

def load(path):
    by = {}
    for line in open(path):
        s, t = line.split()
        by.setdefault(int(s), []).append(int(t))
    for v in by.values():
        v.sort()
    return by

C, S = load(sys.argv[1]), load(sys.argv[2])
N = int(sys.argv[3]) if len(sys.argv) > 3 else 300
WARM = len(sys.argv) > 4 and sys.argv[4] == 'warm'
P = {'C': C, 'S': S}
KCP = [('C', 20, 'client: write() called'), ('C', 1, 'client: child doWrite'),
       ('C', 2, 'client: engine send returned'), ('C', 8, 'client: engine flush begins'),
       ('C', 3, 'client: datagram to Netty'), ('C', 4, 'client: parent flush returned'),
       ('S', 5, 'server: codec channelRead'), ('S', 10, 'server: session found, input begins'),
       ('S', 6, 'server: engine input returned'), ('S', 11, 'server: message taken from engine'),
       ('S', 28, 'server: echo handler got it'), ('S', 7, 'server: channelReadComplete'),
       ('S', 1, 'server: child doWrite'), ('S', 2, 'server: engine send returned'),
       ('S', 8, 'server: engine flush begins'), ('S', 3, 'server: datagram to Netty'),
       ('S', 4, 'server: parent flush returned'), ('C', 5, 'client: codec channelRead'),
       ('C', 10, 'client: session found, input begins'), ('C', 6, 'client: engine input returned'),
       ('C', 11, 'client: message taken from engine'), ('C', 22, 'client: echo delivered')]
RAW = [('C', 23, 'client: raw write() called'), ('C', 24, 'client: raw writeAndFlush returned'),
       ('S', 26, 'server: raw datagram read'), ('S', 27, 'server: raw flush returned'),
       ('C', 25, 'client: raw echo read')]

def q(v, f):
    v = sorted(v)
    return v[min(len(v) - 1, int(f * len(v)))]

ANCHOR = {}

def anchors(path):
    # For a stage in the other process: the index of the sender's 'to Netty' / 'write called' mark.
    a = {}
    for k in range(1, len(path)):
        if path[k][0] != path[k - 1][0]:
            j = k - 1
            while j > 0 and path[j][1] in (4, 24, 27):  # flush returned: not an anchor
                j -= 1
            a[k] = j
    return a

def follow(path):
    starts = P[path[0][0]].get(path[0][1], [])
    picked = [t for i, t in enumerate(starts)
              if i > 0 and (t - starts[i - 1] > 2_500_000) != WARM][-N:]
    rows = []
    for t0 in picked:
        ts, t = [t0], t0
        for k, (proc, st, _) in enumerate(path[1:], 1):
            if proc != path[k - 1][0]:
                t = ts[ANCHOR[k]]  # across processes: from before the send
            v = P[proc].get(st, [])
            i = bisect.bisect_left(v, t)
            if i == len(v) or v[i] - t0 > 50_000_000:
                break
            t = v[i]; ts.append(t)
        if len(ts) == len(path):
            rows.append(ts)
    return rows

for name, path in (('KCP', KCP), ('raw', RAW)):
    ANCHOR = anchors(path)
    rows = follow(path)
    print(f"{name}: {len(rows)} messages")
    print(f"  {'step (to)':58s} {'p50 us':>8s} {'p90 us':>8s}")
    for k in range(1, len(path)):
        j = ANCHOR.get(k, k - 1)
        d = [(r[k] - r[j]) / 1000 for r in rows]
        label = path[k][2] + ('' if j == k - 1 else ' (from ' + path[j][2].split(': ')[1] + ')')
        print(f"  {label:58s} {q(d, .5):8.1f} {q(d, .9):8.1f}")
    tot = [(r[-1] - r[0]) / 1000 for r in rows]
    print(f"  {'round trip (first to last)':58s} {q(tot, .5):8.1f} {q(tot, .9):8.1f}")
