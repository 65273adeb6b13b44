#!/usr/bin/env python3
"""bench/read_path_ab.py LABEL=DIR LABEL=DIR [...] [--entities N] [--rounds R] [--secs S] [--warmup S]: builds of Hearth side by side.

DIR may end in ::OPTIONS, JVM options of that server (e.g. base=. cfg=.::-Dsome.property=true compares one build
under two settings).

Each DIR is a checkout whose bench module is built (`mvn -B -o -DskipTests package -pl bench -am`); the first is the
baseline. All servers (OnlineBenchServer: node + gateway + a bare Vert.x endpoint serving Hearth's captured bytes)
run at the same time, pinned to core 0, each with its own data; wrk (core 1) then takes turns between them, R rounds,
reversing the order every round, so load from elsewhere on the machine falls on all of them. Figures: the 1 x 20 and
100 x 50 requests of bench/run online, rps per build, the bare endpoint of the last build's server in the same
rounds, and the ratios of the medians to the bare endpoint and to the baseline; and for each, the server process's
CPU microseconds per request (user + system, all threads, from /proc), which a shared, busy machine disturbs far
less than throughput. The last line is one JSON object.
"""
import json, os, random, shutil, signal, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import online  # noqa: E402  (wrk, lua scripts and the feature lists of bench/run online)


def arg(name, default):
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (all its threads: request handling, GC, JIT, background)."""
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def measure(pid, port, script, conns, secs):
    """wrk's rps, and the server's CPU microseconds per request: the cost, which a busy machine disturbs far less."""
    c0 = cpu_seconds(pid)
    r = online.wrk(port, script, conns=conns, secs=secs)
    r['cpu_us'] = (cpu_seconds(pid) - c0) * 1e6 / (r['rps'] * secs)
    return r


def start(tmp, label, checkout, entities, port):
    log = open(os.path.join(tmp, label + '.log'), 'w')
    checkout, _, opts = checkout.partition('::')  # DIR::JVM OPTIONS: one build under two settings
    checkout = os.path.abspath(checkout)
    cp = f'{checkout}/bench/target/hearth-bench.jar:{checkout}/bench/target/lib/*'
    srv = subprocess.Popen(online.java('-Xmx3g', '-XX:+UseParallelGC', '-cp', cp, 'io.hearth.bench.OnlineBenchServer',
                                       str(entities), str(port), str(port + 3000), os.path.join(tmp, label), core=0,
                                       extra=opts.split()),
                           stdout=subprocess.PIPE, stderr=log, text=True, cwd=checkout, start_new_session=True)
    return srv


def ready(srv, label):
    line = srv.stdout.readline()
    while line and not line.startswith('READY'):
        line = srv.stdout.readline()
    if not line.startswith('READY'):
        sys.exit(f'{label} server did not start')
    return int(line.split()[1]), int(line.split()[2])


def main():
    builds = [a.split('=', 1) for a in sys.argv[1:] if '=' in a]  # LABEL=DIR, the first is the baseline
    if len(builds) < 2:
        sys.exit('usage: bench/read_path_ab.py LABEL=DIR LABEL=DIR [...] [--entities N] [--rounds R] [--secs S]')
    labels = [b[0] for b in builds]
    entities, rounds, secs = arg('--entities', 100_000), arg('--rounds', 3), arg('--secs', 6)
    warmup = arg('--warmup', 10)
    online.ENTITIES = entities
    tmp = tempfile.mkdtemp(prefix='hearth-ab-')
    port = 20000 + random.randint(0, 1000)
    servers = {k: start(tmp, k, d, entities, port + i) for i, (k, d) in enumerate(builds)}
    last = labels[-1]
    try:
        t0 = time.time()
        ports = {k: ready(s, k) for k, s in servers.items()}
        print(f'{len(servers)} servers ready in {time.time() - t0:.0f} s ({entities:,} entities each); load average '
              f'{os.getloadavg()[0]:.1f}', flush=True)
        s_one = online.lua(tmp, 'one', online_f20(), 1, '/get-online-features')
        s_batch = online.lua(tmp, 'batch', online_f50(), 100, '/get-online-features')
        s_one_bare = online.lua(tmp, 'one_bare', online_f20(), 1, '/one20')
        s_batch_bare = online.lua(tmp, 'batch_bare', online_f50(), 100, '/batch100x50')
        for k in labels:  # warm-up: JIT and block caches of each
            online.wrk(ports[k][0], s_one, secs=warmup)
            online.wrk(ports[k][0], s_batch, conns=8, secs=warmup // 2)
        online.wrk(ports[last][1], s_one_bare, secs=warmup // 2)
        online.wrk(ports[last][1], s_batch_bare, conns=8, secs=warmup // 2)
        runs = {(k, c): [] for k in labels + ['bare'] for c in ('one', 'batch')}
        cpu = {(k, c): [] for k in labels + ['bare'] for c in ('one', 'batch')}
        pids = {k: s.pid for k, s in servers.items()}  # taskset execs java: the same process
        for r in range(rounds):
            order = labels if r % 2 == 0 else labels[::-1]
            for c, conns, script, bare in (('one', 16, s_one, s_one_bare), ('batch', 8, s_batch, s_batch_bare)):
                for k, port, sc in [(k, ports[k][0], script) for k in order] + [('bare', ports[last][1], bare)]:
                    m = measure(pids[last if k == 'bare' else k], port, sc, conns, secs)
                    runs[(k, c)].append(m['rps'])
                    cpu[(k, c)].append(m['cpu_us'])
            print(f'round {r + 1}: ' + '; '.join(f'{c}: ' + ' '.join(f'{k} {runs[(k, c)][-1]:,.0f} rps {cpu[(k, c)][-1]:,.1f} us'
                                                                     for k in labels + ['bare']) for c in ('one', 'batch'))
                  + f'; load average {os.getloadavg()[0]:.1f}', flush=True)
    finally:
        for s in servers.values():
            try:
                os.killpg(s.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            s.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in runs.items()}
    mcpu = {k: statistics.median(v) for k, v in cpu.items()}
    out = {'bench': 'read_path_ab', 'entities': entities, 'rounds': rounds, 'secs': secs, 'baseline': labels[0]}
    for c, name in (('one', '1x20'), ('batch', '100x50')):
        out[f'{name}_bare_rps'] = round(med[('bare', c)])
        for k in labels:
            out[f'{name}_{k}_rps'] = round(med[(k, c)])
            out[f'{name}_{k}_vs_bare'] = round(med[(k, c)] / med[('bare', c)], 3)
            out[f'{name}_{k}_vs_{labels[0]}'] = round(med[(k, c)] / med[(labels[0], c)], 3)
            out[f'{name}_{k}_cpu_us'] = round(mcpu[(k, c)], 1)
            out[f'{name}_{k}_cpu_vs_bare'] = round(mcpu[(k, c)] / mcpu[('bare', c)], 2)
        out[f'{name}_bare_cpu_us'] = round(mcpu[('bare', c)], 1)
    print(json.dumps(out))


def online_f20():
    return ['pa:a%d' % i for i in range(10)] + ['pb:b%d' % i for i in range(5)] + \
        ['pb:count_30d', 'pb:sum_30d', 'pb:avg_7d', 'pb:max_30d', 'pb:min_1d']


def online_f50():
    return ['pa:a%d' % i for i in range(25)] + ['pb:b%d' % i for i in range(10)] + \
        ['pb:%s_%s' % (a, w) for w in ('1d', '7d', '30d') for a in ('count', 'sum', 'avg', 'min', 'max')]


if __name__ == '__main__':
    main()
