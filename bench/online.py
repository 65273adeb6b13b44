#!/usr/bin/env python3
"""bench/run online [--quick] [--logging-only]: online serving against a bare Vert.x endpoint serving the same bytes,
and Redis; and feature logging (every lookup logged) against no logging. --logging-only runs only the latter.

The server (Hearth node + gateway + the bare endpoint, one JVM) is pinned to core 0 with taskset; the load
generators (wrk for closed-loop maxima, an open-loop Java generator with HdrHistogram for latency at a fixed
rate, redis-benchmark) to core 1. Every figure is measured in this run; ratios compare with the bare endpoint
measured right after on the same core.

HEARTH_BENCH_TRACE=1 prints, per wrk run, the server's CPU per request by thread (from two thread dumps);
HEARTH_BENCH_SERVER_JAVA_OPTS adds options to the server JVM (a flight recording is written when the server ends).
"""
import json, os, random, re, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CP = 'bench/target/hearth-bench.jar:bench/target/lib/*'
QUICK = '--quick' in sys.argv
LOGGING_ONLY = '--logging-only' in sys.argv
ENTITIES = 100_000 if QUICK else 1_000_000
SECONDS = 8 if QUICK else 15

def need(tool):
    if shutil.which(tool) is None:
        sys.exit(f'{tool} is needed (Debian: apt-get install wrk redis-server redis-tools)')

def java(*args, core, extra=()):
    return ['taskset', '-c', str(core), 'java', f'@{ROOT}/config/jvm.options'] + list(extra) + list(args)

def lua(tmp, name, features, batch, path, extra='', token=None, prefix='U', count=None, zipf=False):
    """A wrk script sending lookups of `batch` entities (prefix + a number below count, uniform or, with zipf, Zipf
    with exponent 1: entity k is asked 1/(k+1) as often as entity 0)."""
    feats = ','.join('"%s"' % f for f in features)
    count = count or ENTITIES
    head = ''
    if zipf:  # inverse of the cumulative weights, by bisection
        head = ('local cdf = {}\nlocal acc = 0\nfor k = 1, %d do acc = acc + 1 / k; cdf[k] = acc end\n'
                'for k = 1, %d do cdf[k] = cdf[k] / acc end\n'
                'local function pick()\n  local u, lo, hi = math.random(), 1, %d\n'
                '  while lo < hi do local mid = math.floor((lo + hi) / 2); if cdf[mid] < u then lo = mid + 1 else hi = mid end end\n'
                '  return lo - 1\nend\n') % (count, count, count)
    if batch == 1:
        pick = 'pick()' if zipf else 'math.random(0, %d)' % (count - 1)
        make = "local ents = '\"%s' .. %s .. '\"'" % (prefix, pick)
    else:
        make = ("local u0 = math.random(0, %d)\n  local t = {}\n  for i = 0, %d do t[#t + 1] = '\"U' .. (u0 + i) .. '\"' end\n"
                "  local ents = table.concat(t, ',')") % (ENTITIES - batch - 1, batch - 1)
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"\n' if token else ''
    script = head + f'''wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
{auth}math.randomseed(7)
request = function()
  {make}
  return wrk.format(nil, "{path}", nil, '{{"features":[{feats}],"entities":{{"user_id":[' .. ents .. ']}}{extra}}}')
end
'''
    p = os.path.join(tmp, name + '.lua')
    open(p, 'w').write(script)
    return p

TRACE = bool(os.environ.get('HEARTH_BENCH_TRACE'))
SERVER_PID = None

def thread_cpu():
    """CPU milliseconds of the server's threads so far, by thread name with digits as #, from a thread dump."""
    out = subprocess.run(['jcmd', str(SERVER_PID), 'Thread.print'], capture_output=True, text=True).stdout
    cpu = {}
    for m in re.finditer(r'^"([^"]*)".*?cpu=([\d.]+)ms', out, re.M):
        name = re.sub(r'\d+', '#', m.group(1))
        cpu[name] = cpu.get(name, 0) + float(m.group(2))
    return cpu

def wrk(port, script, conns=16, secs=SECONDS):
    if TRACE:  # phase times, to cut a profile of the server (JFR) by phase, and the CPU of its threads in the phase
        print(f'trace: wrk {os.path.basename(script)} from {time.time():.3f} for {secs} s', file=sys.stderr, flush=True)
        cpu0 = thread_cpu()
    out = subprocess.run(['taskset', '-c', '1', 'wrk', '-t1', f'-c{conns}', f'-d{secs}s', '--latency', '-s', script,
                          f'http://127.0.0.1:{port}'], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    if TRACE:
        cpu1 = thread_cpu()
        n = rps * secs
        d = sorted(((cpu1[k] - cpu0.get(k, 0), k) for k in cpu1), reverse=True)
        print(f'trace: {os.path.basename(script)} {rps:.0f} rps; server CPU us per request, by thread: total '
              f'{sum(x for x, _ in d) * 1000 / n:.1f}; ' + ', '.join(f'{k} {x * 1000 / n:.1f}' for x, k in d[:8] if x > 0),
              file=sys.stderr, flush=True)
    def ms(q):
        m = re.search(r'\s%s%%\s+([\d.]+)(us|ms|s)\b' % q, out)
        v = float(m.group(1))
        return v / 1000 if m.group(2) == 'us' else v * 1000 if m.group(2) == 's' else v
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    if errors:
        sys.exit('errors in wrk run:\n' + out)
    return {'rps': rps, 'p50_ms': ms(50), 'p99_ms': ms(99)}

def warm(port, script, conns=16, least=8, most=16, secs=5):
    """Runs wrk for at least `least` runs, then until two runs in a row are within 10% of each other (at most
    `most`): on one shared core the server takes a minute or more to reach its steady rate (the JIT compiling the
    lookup path beside it, caches filling), and a rate taken before that is not the steady state's (measured: 1.7-2.6k
    rps after 10-20 s of warm-up, 6-15k later in the same run, the rate flat at the low level for several 5 s runs
    before it rises; 14.8k after 40 s)."""
    last = None
    for i in range(most):
        rps = wrk(port, script, conns=conns, secs=secs)['rps']
        if i + 1 >= least and last is not None and abs(rps - last) <= 0.1 * max(rps, last):
            break
        last = rps
    print(f'warm after {i + 1} runs of {secs} s: {rps:,.0f} rps', flush=True)


def open_loop(port, path, rate, secs, service=None):
    out = subprocess.run(java('-Xmx512m', '-cp', CP, 'io.hearth.bench.OpenLoop', str(port), path, str(rate), str(secs), '3',
                              str(ENTITIES), *([service] if service else []), core=1), capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    sent, ok, err = map(int, out[:3])
    p50, p90, p99, p999, mx = map(float, out[3:])
    return {'sent': sent, 'ok': ok, 'errors': err, 'p50_ms': p50, 'p90_ms': p90, 'p99_ms': p99, 'p999_ms': p999, 'max_ms': mx}

def lua_service(tmp, name, service):
    script = f'''wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(7)
request = function()
  return wrk.format(nil, "/v1/features/online", nil, '{{"feature_service":"{service}","entities":{{"user_id":["U' .. math.random(0, {ENTITIES - 1}) .. '"]}}}}')
end
'''
    p = os.path.join(tmp, name + '.lua')
    open(p, 'w').write(script)
    return p

def metric_sum(port, name):
    """The sum of a Prometheus counter over its labels, read from Hearth's /metrics."""
    import urllib.request
    text = urllib.request.urlopen(f'http://127.0.0.1:{port}/metrics', timeout=10).read().decode()
    return sum(float(l.rsplit(' ', 1)[1]) for l in text.splitlines() if l.startswith(name + '{') or l.startswith(name + ' '))

def logging_runs(tmp, port):
    """The 1 x 20 lookup as a feature service, logged (sample_rate 1.0) and not, alternating; then 2k rps logged."""
    s_log = lua_service(tmp, 'svc_log', 'f20_log')
    s_nolog = lua_service(tmp, 'svc_nolog', 'f20_nolog')
    wrk(port, s_log, secs=5)
    wrk(port, s_nolog, secs=5)
    runs = {'log': [], 'nolog': []}
    dropped0 = metric_sum(port, 'hearth_feature_log_dropped_total')
    for _ in range(2):
        runs['nolog'].append(wrk(port, s_nolog))
        runs['log'].append(wrk(port, s_log))
    dropped_max = metric_sum(port, 'hearth_feature_log_dropped_total') - dropped0
    mean = lambda rs: sum(x['rps'] for x in rs) / len(rs)
    r = {'log_rps': mean(runs['log']), 'nolog_rps': mean(runs['nolog']), 'runs': runs, 'dropped_closed_loop': dropped_max}
    r['ratio'] = r['log_rps'] / r['nolog_rps']
    print(f"1 x 20 by feature service, closed loop (wrk, 16 connections, 2 x {SECONDS} s each, alternating): logged "
          f"{r['log_rps']:,.0f} rps ({', '.join('%.0f' % x['rps'] for x in runs['log'])}), not logged {r['nolog_rps']:,.0f} rps "
          f"({', '.join('%.0f' % x['rps'] for x in runs['nolog'])}): ratio {r['ratio']:.2f} (goal >= 0.9); "
          f"{dropped_max:.0f} records dropped at full load (on_overload: drop)", flush=True)
    written0 = metric_sum(port, 'hearth_feature_log_records_total')
    dropped0 = metric_sum(port, 'hearth_feature_log_dropped_total')
    r['open_log'] = open_loop(port, '/v1/features/online', 2000, SECONDS, 'f20_log')
    r['open_nolog'] = open_loop(port, '/v1/features/online', 2000, SECONDS, 'f20_nolog')
    time.sleep(2)  # the last records leave the queue (flushed every 200 ms)
    r['dropped_2k'] = metric_sum(port, 'hearth_feature_log_dropped_total') - dropped0
    r['written_2k'] = metric_sum(port, 'hearth_feature_log_records_total') - written0
    ol, on = r['open_log'], r['open_nolog']
    print(f"1 x 20 by feature service, open loop at 2,000 rps ({SECONDS} s after 3 s warm-up): logged p50 {ol['p50_ms']:.3f} ms "
          f"p99 {ol['p99_ms']:.3f} ms ({ol['errors']} errors), not logged p50 {on['p50_ms']:.3f} ms p99 {on['p99_ms']:.3f} ms; "
          f"{r['written_2k']:.0f} records written, {r['dropped_2k']:.0f} dropped (goal 0)", flush=True)
    return r

def redis(tmp):
    port = 26379 + random.randint(0, 1000)
    srv = subprocess.Popen(['taskset', '-c', '0', 'redis-server', '--port', str(port), '--save', '', '--appendonly', 'no',
                            '--dir', tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        # 1M (or 100k) hashes of 20 numeric fields, loaded with the RESP pipe.
        def resp(*parts):
            return '*%d\r\n' % len(parts) + ''.join('$%d\r\n%s\r\n' % (len(p), p) for p in parts)
        path = os.path.join(tmp, 'redis.resp')
        with open(path, 'w') as f:
            for i in range(ENTITIES):
                args = ['HSET', 'u:%012d' % i]
                for k in range(20):
                    args += ['f%d' % k, '%.2f' % ((i * 31 + k * 7) % 100000 / 100)]
                f.write(resp(*args))
        with open(path, 'rb') as f:
            subprocess.run(['redis-cli', '-p', str(port), '--pipe'], stdin=f, check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run(['taskset', '-c', '1', 'redis-benchmark', '-p', str(port), '-c', '50', '-n', str(40 * ENTITIES // 100 if QUICK else 400000),
                              '-r', str(ENTITIES), '-q', '--csv', 'HGETALL', 'u:__rand_int__'], capture_output=True, text=True,
                             check=True).stdout
        rows = [l for l in out.strip().splitlines() if l.startswith('"HGETALL')]
        cells = [c.strip('"') for c in rows[-1].split(',')]
        # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        return {'rps': float(cells[1]), 'p50_ms': float(cells[4]), 'p99_ms': float(cells[6])}
    finally:
        srv.terminate()
        srv.wait()

def main():
    for t in ('wrk', 'redis-server', 'redis-benchmark', 'redis-cli', 'taskset'):
        need(t)
    tmp = tempfile.mkdtemp(prefix='hearth-online-')
    port = 17000 + random.randint(0, 2000)
    bare_port = port + 3000
    log = open(os.path.join(tmp, 'server.log'), 'w')
    srv = subprocess.Popen(java('-Xmx3g', '-XX:+UseParallelGC', '-cp', CP, 'io.hearth.bench.OnlineBenchServer', str(ENTITIES),
                                str(port), str(bare_port), os.path.join(tmp, 'data'), core=0,
                                extra=os.environ.get('HEARTH_BENCH_SERVER_JAVA_OPTS', '').split()),
                           stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT, start_new_session=True)
    try:
        t0 = time.time()
        global SERVER_PID
        SERVER_PID = srv.pid  # taskset execs java
        line = srv.stdout.readline()
        while line and not line.startswith('READY'):  # the JVM may say something first (a flight recording started)
            line = srv.stdout.readline()
        if not line.startswith('READY'):
            sys.exit('server did not start; see ' + log.name)
        _, _, _, keyed_port, token = line.split()
        print(f'server ready in {time.time() - t0:.0f} s: {ENTITIES:,} entities, views pa (25 plain) and pb (10 plain + 15 windowed), '
              'HEAVY with 100k events, view pr over small and REAL entities; server on core 0, load on core 1', flush=True)
        f20 = ['pa:a%d' % i for i in range(10)] + ['pb:b%d' % i for i in range(5)] + \
              ['pb:count_30d', 'pb:sum_30d', 'pb:avg_7d', 'pb:max_30d', 'pb:min_1d']
        f50 = ['pa:a%d' % i for i in range(25)] + ['pb:b%d' % i for i in range(10)] + \
              ['pb:%s_%s' % (a, w) for w in ('1d', '7d', '30d') for a in ('count', 'sum', 'avg', 'min', 'max')]
        R20 = ['pr:b%d' % i for i in range(5)] + \
              ['pr:%s_%s' % (a, w) for w in ('1d', '7d', '30d') for a in ('count', 'sum', 'avg', 'min', 'max')]
        s_one = lua(tmp, 'one', f20, 1, '/get-online-features')
        s_one_bare = lua(tmp, 'one_bare', f20, 1, '/one20')
        s_one_keyed = lua(tmp, 'one_keyed', f20, 1, '/get-online-features', token=token)
        s_batch = lua(tmp, 'batch', f50, 100, '/get-online-features')
        s_batch_bare = lua(tmp, 'batch_bare', f50, 100, '/batch100x50')
        s_compact = lua(tmp, 'compact', f50, 100, '/v1/features/online', ',"format":"compact"')
        s_compact_bare = lua(tmp, 'compact_bare', f50, 100, '/batch100x50compact', ',"format":"compact"')
        s_heavy_plain = os.path.join(tmp, 'heavy_plain.lua')
        s_heavy_win = os.path.join(tmp, 'heavy_win.lua')
        for path, feat in ((s_heavy_plain, 'pb:b0'), (s_heavy_win, 'pb:sum_30d')):
            open(path, 'w').write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                                  'wrk.path = "/get-online-features"\n'
                                  'wrk.body = \'{"features":["%s"],"entities":{"user_id":["HEAVY"]}}\'\n' % feat)
        print('warming up...', flush=True)
        warm(port, s_one)
        if LOGGING_ONLY:
            lg = logging_runs(tmp, port)
            out = {'bench': 'online', 'logging_only': True, 'entities': ENTITIES,
                   'logging_ratio': round(lg['ratio'], 3), 'logging_dropped': round(lg['dropped_2k']),
                   'logging_rps': round(lg['log_rps']), 'nolog_rps': round(lg['nolog_rps']),
                   'logging_dropped_closed_loop': round(lg['dropped_closed_loop']),
                   'logging_written_2k': round(lg['written_2k']),
                   'logging_p50_ms_2k': lg['open_log']['p50_ms'], 'logging_p99_ms_2k': lg['open_log']['p99_ms'],
                   'nolog_p50_ms_2k': lg['open_nolog']['p50_ms'], 'nolog_p99_ms_2k': lg['open_nolog']['p99_ms']}
            print(json.dumps(out))
            return
        wrk(port, s_batch, secs=5)
        wrk(bare_port, s_one_bare, secs=5)

        r = {}
        r['one_hearth'] = wrk(port, s_one)
        r['one_bare'] = wrk(bare_port, s_one_bare)
        ratio1 = r['one_hearth']['rps'] / r['one_bare']['rps']
        print(f"1 x 20 closed loop (wrk, 16 connections): Hearth {r['one_hearth']['rps']:,.0f} rps, bare {r['one_bare']['rps']:,.0f} rps: "
              f"ratio {ratio1:.2f} (goal >= 0.5); p50 {r['one_hearth']['p50_ms']:.2f} / {r['one_bare']['p50_ms']:.2f} ms", flush=True)
        # The price of API keys: the same lookups through a gateway of the same node that checks a reader's key, in
        # turn with the keyless one (twice each, so drift in between shows in both).
        wrk(int(keyed_port), s_one_keyed, secs=5)
        r['one_keyed'] = wrk(int(keyed_port), s_one_keyed)
        r['one_hearth_again'] = wrk(port, s_one)
        r['one_keyed_again'] = wrk(int(keyed_port), s_one_keyed)
        keyless = r['one_hearth']['rps'] + r['one_hearth_again']['rps']
        keyed = r['one_keyed']['rps'] + r['one_keyed_again']['rps']
        auth_ratio = keyed / keyless
        print(f"1 x 20 with API keys (a reader's key among 10, Authorization: Bearer): {keyed / 2:,.0f} rps vs {keyless / 2:,.0f} rps "
              f"without keys: ratio {auth_ratio:.3f} (goal >= 0.95); p50 {r['one_keyed']['p50_ms']:.2f} / {r['one_hearth']['p50_ms']:.2f} ms",
              flush=True)
        r['open_hearth'] = open_loop(port, '/get-online-features', 2000, SECONDS)
        r['open_bare'] = open_loop(bare_port, '/one20', 2000, SECONDS)
        oh, ob = r['open_hearth'], r['open_bare']
        print(f"1 x 20 open loop at 2,000 rps ({SECONDS} s after 3 s warm-up, latency from the intended send time): "
              f"Hearth p50 {oh['p50_ms']:.3f} ms p99 {oh['p99_ms']:.3f} ms p99.9 {oh['p999_ms']:.3f} ms ({oh['errors']} errors); "
              f"bare p50 {ob['p50_ms']:.3f} ms p99 {ob['p99_ms']:.3f} ms; p99 ratio {oh['p99_ms'] / ob['p99_ms']:.2f} "
              "(goals: p50 <= 0.5 ms, p99 <= 1.5x bare)", flush=True)
        r['batch_hearth'] = wrk(port, s_batch, conns=8)
        r['batch_bare'] = wrk(bare_port, s_batch_bare, conns=8)
        ratio2 = r['batch_hearth']['rps'] / r['batch_bare']['rps']
        print(f"100 x 50 closed loop (8 connections): Hearth {r['batch_hearth']['rps']:,.0f} rps p50 {r['batch_hearth']['p50_ms']:.2f} ms, "
              f"bare {r['batch_bare']['rps']:,.0f} rps p50 {r['batch_bare']['p50_ms']:.2f} ms: ratio {ratio2:.2f} (goal >= 0.8)", flush=True)
        r['compact_hearth'] = wrk(port, s_compact, conns=8)
        r['compact_bare'] = wrk(bare_port, s_compact_bare, conns=8)
        print(f"100 x 50 compact format: Hearth {r['compact_hearth']['rps']:,.0f} rps p50 {r['compact_hearth']['p50_ms']:.2f} ms, "
              f"bare {r['compact_bare']['rps']:,.0f} rps: ratio {r['compact_hearth']['rps'] / r['compact_bare']['rps']:.2f}", flush=True)
        r['heavy_plain'] = wrk(port, s_heavy_plain, conns=8)
        r['heavy_window'] = wrk(port, s_heavy_win, conns=8)
        ratio4 = r['heavy_window']['rps'] / r['heavy_plain']['rps']
        print(f"entity with 100k events: sum over 30d {r['heavy_window']['rps']:,.0f} rps, plain feature {r['heavy_plain']['rps']:,.0f} rps: "
              f"ratio {ratio4:.2f} (goal >= 0.7)", flush=True)
        # REAL entities (300 events with ids, long tails) against small ones (3 events), the same 20 features of one
        # view, in turn; then Zipf-skewed keys against uniform ones (the 1 x 20 lookup).
        m = min(10_000, max(1, ENTITIES // 50))
        s_small = lua(tmp, 'small', R20, 1, '/get-online-features', prefix='S', count=m)
        s_real = lua(tmp, 'real', R20, 1, '/get-online-features', prefix='R', count=m)
        s_zipf = lua(tmp, 'zipf', f20, 1, '/get-online-features', zipf=True)
        wrk(port, s_real, secs=5)
        wrk(port, s_small, secs=3)
        small = [wrk(port, s_small)['rps']]
        real = [wrk(port, s_real)['rps']]
        small.append(wrk(port, s_small)['rps'])
        real.append(wrk(port, s_real)['rps'])
        real_vs_small = sum(real) / sum(small)
        print(f"REAL entities (300 events with ids) against small (3 events), 20 features of one view, {m:,} of each, "
              f"1 x 20, alternating: {sum(real) / 2:,.0f} rps against {sum(small) / 2:,.0f}: ratio {real_vs_small:.2f} "
              "(goal >= 0.8)", flush=True)
        r['zipf'] = wrk(port, s_zipf)
        r['uniform'] = wrk(port, s_one)
        print(f"1 x 20 with Zipf-skewed keys (exponent 1 over {ENTITIES:,}): {r['zipf']['rps']:,.0f} rps, uniform keys "
              f"{r['uniform']['rps']:,.0f} rps just after", flush=True)
        lg = logging_runs(tmp, port)
    finally:
        if 'FlightRecording' in os.environ.get('HEARTH_BENCH_SERVER_JAVA_OPTS', ''):
            srv.terminate()  # the recording is written on exit
            try:
                srv.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(srv.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        srv.wait()
        if LOGGING_ONLY:
            shutil.rmtree(tmp, ignore_errors=True)
    r['redis'] = redis(tmp)
    print(f"Redis HGETALL of 20 fields ({ENTITIES:,} hashes, redis-benchmark, 50 clients): {r['redis']['rps']:,.0f} rps, "
          f"p50 {r['redis']['p50_ms']:.3f} ms, p99 {r['redis']['p99_ms']:.3f} ms", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    # The keys first (rps, bare_rps, ratio, p50_ms_2k, p99_vs_bare_2k, batch_ratio, window_vs_plain_rps), then detail.
    out = {'bench': 'online', 'rps': round(r['one_hearth']['rps']), 'bare_rps': round(r['one_bare']['rps']),
           'ratio': round(ratio1, 3), 'p50_ms_2k': oh['p50_ms'], 'p99_vs_bare_2k': round(oh['p99_ms'] / ob['p99_ms'], 3),
           'batch_ratio': round(ratio2, 3), 'window_vs_plain_rps': round(ratio4, 3),
           'auth_rps': round(keyed / 2), 'auth_ratio': round(auth_ratio, 3),
           'entities': ENTITIES, 'p99_ms_2k': oh['p99_ms'], 'bare_p99_ms_2k': ob['p99_ms'], 'batch_rps': round(r['batch_hearth']['rps']),
           'batch_bare_rps': round(r['batch_bare']['rps']),
           'compact_rps': round(r['compact_hearth']['rps']), 'compact_p50_ms': r['compact_hearth']['p50_ms'],
           'window_rps': round(r['heavy_window']['rps']), 'plain_rps': round(r['heavy_plain']['rps']),
           'redis_rps': round(r['redis']['rps']), 'redis_p99_ms': r['redis']['p99_ms'],
           'logging_ratio': round(lg['ratio'], 3), 'logging_dropped': round(lg['dropped_2k']),
           'logging_rps': round(lg['log_rps']), 'nolog_rps': round(lg['nolog_rps']),
           'logging_dropped_closed_loop': round(lg['dropped_closed_loop']), 'logging_p99_ms_2k': lg['open_log']['p99_ms'],
           'real_vs_small': round(real_vs_small, 3), 'real_rps': round(sum(real) / 2), 'small_rps': round(sum(small) / 2),
           'zipf_rps': round(r['zipf']['rps']), 'zipf_uniform_rps': round(r['uniform']['rps'])}
    print(json.dumps(out))

if __name__ == '__main__':
    main()
