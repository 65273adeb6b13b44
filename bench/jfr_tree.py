#!/usr/bin/env python3
"""bench/jfr_tree.py RECORDING.jfr [--from EPOCH_SECONDS] [--below FRAME] [--depth N] [--hearth]: where a flight
recording's CPU samples go.

Reads the recording's jdk.ExecutionSample events with whole stacks (`jfr print` keeps only 5 frames unless told
otherwise, which hides every caller below the top of a deep Ignite stack) and prints, as shares of all samples taken
from --from on (e.g. after a warm-up):
  - by thread;
  - without --below: the methods samples are in (self), then every Hearth method's inclusive share with --hearth;
  - with --below FRAME (a substring of `Class.method`): the call paths under the first frame that matches, to
    --depth frames, each with its inclusive share.
Start the server with -XX:StartFlightRecording=settings=profile -XX:FlightRecorderOptions:stackdepth=512 (through
HEARTH_BENCH_SERVER_JAVA_OPTS for bench/run online): a recording started later with jcmd slowed lookups tenfold here.
"""
import collections, datetime, json, subprocess, sys


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def samples(path, since):
    out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '512', '--events', 'jdk.ExecutionSample', path],
                         capture_output=True, text=True, check=True).stdout
    for e in json.loads(out)['recording']['events']:
        v = e['values']
        t = datetime.datetime.fromisoformat(v['startTime'].replace('Z', '')[:26]).replace(tzinfo=datetime.timezone.utc)
        if t.timestamp() >= since:
            frames = [f['method']['type']['name'] + '.' + f['method']['name'] for f in v['stackTrace']['frames']]
            yield v['sampledThread']['javaName'], frames  # leaf first


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith('--'):
        sys.exit(__doc__)
    got = list(samples(sys.argv[1], float(arg('--from', 0))))
    n = len(got)
    if n == 0:
        sys.exit('no samples')
    short = lambda m: m.rsplit('/', 1)[-1]  # Class.method

    def show(counter, limit):
        for k, c in counter.most_common(limit):
            print(f'{c * 100 / n:5.1f}% {k}')
    print(f'{n} samples')
    print('-- by thread')
    show(collections.Counter(t[:40] for t, _ in got), 10)
    below, depth = arg('--below', None), int(arg('--depth', 3))
    if below is None:
        print('-- self')
        show(collections.Counter(short(f[0]) for _, f in got if f), 30)
        if '--hearth' in sys.argv:
            print('-- inclusive, Hearth methods')
            show(collections.Counter(short(m) for _, f in got for m in set(f)
                                     if m.startswith('io/hearth/') and '$$Lambda' not in m), 60)
        return
    paths = collections.Counter()
    for _, f in got:
        root = [short(m) for m in reversed(f)]
        hit = next((i for i, m in enumerate(root) if below in m), None)
        if hit is None:
            continue
        paths['(all)'] += 1
        for d in range(1, depth + 1):
            if hit + d < len(root):
                paths[' > '.join(root[hit + 1:hit + 1 + d])] += 1
    print(f'-- under {below}')
    show(paths, 60)


if __name__ == '__main__':
    main()
