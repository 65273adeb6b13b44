#!/usr/bin/env python3
"""Figures of the foundation issue, measured on this machine in one run:

1. time from `./hearth up` (built tree, empty data dir) to the first answered lookup, and after a restart;
2. lookup latency of 1 entity x 10 features (5 plain, 5 windowed) on /v1/features/online: a closed loop of one
   client on one keep-alive connection, after a warm-up; p50/p99/p999 and requests/s;
3. HTTP ingest rows/s: 100k order rows as NDJSON, in one request and in 10 requests of 10k, each acknowledged
   (durable on primary and backup) before the next.
Everything runs on loopback; every loop is bounded in count.
"""
import http.client, json, os, random, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 16000 + random.randint(0, 3000)
WARMUP, REQUESTS = 2000, 10000

def start(data):
    log = open(os.path.join(data + '.log'), 'ab')
    p = subprocess.Popen([os.path.join(ROOT, 'hearth'), 'up', '--data-dir', data, '--port', str(PORT)],
                         stdout=log, stderr=log, start_new_session=True)
    return p

def stop(p):
    os.killpg(p.pid, signal.SIGINT)
    try:
        p.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)

def request(conn, method, path, body=None, ctype='application/json'):
    conn.request(method, path, body=body, headers={'Content-Type': ctype} if body is not None else {})
    r = conn.getresponse()
    data = r.read()
    return r.status, data

LOOKUP = None

def first_answer(p, t0):
    body = json.dumps({"features": ["customer_orders:last_amount"], "entities": {"customer_id": ["C1001"]}})
    for _ in range(1200):
        if p.poll() is not None:
            sys.exit('hearth up exited early; see the .log next to the data dir')
        try:
            c = http.client.HTTPConnection('127.0.0.1', PORT, timeout=5)
            s, d = request(c, 'POST', '/v1/features/online', body)
            c.close()
            if s == 200 and b'PRESENT' in d:
                return time.time() - t0
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit('no answer within 60 s')

def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]

def main():
    subprocess.run([os.path.join(ROOT, 'hearth'), '--version'], check=True, stdout=subprocess.DEVNULL)  # build if needed
    tmp = tempfile.mkdtemp(prefix='hearth-bench-')
    data = os.path.join(tmp, 'data')
    t0 = time.time(); p = start(data)
    first = first_answer(p, t0)
    print(f'up (first run, demo loaded) -> first lookup answered: {first:.2f} s')
    try:
        c = http.client.HTTPConnection('127.0.0.1', PORT, timeout=30)
        yaml = open(os.path.join(ROOT, 'config/demo/definitions.yaml')).read()
        yaml = yaml.replace('feature_services:', '''  - name: bench_orders
    entity: customer
    source: orders
    ttl: 30d
    features:
      - {name: a1, column: amount}
      - {name: a2, column: channel}
      - {name: a3, column: order_id}
      - {name: a4, column: created_ts}
      - {name: a5, column: event_ts}
      - {name: w1, aggregation: count, window: 30d}
      - {name: w2, aggregation: sum, column: amount, window: 7d}
      - {name: w3, aggregation: avg, column: amount, window: 30d}
      - {name: w4, aggregation: max, column: amount, window: 1d}
      - {name: w5, aggregation: stddev, column: amount, window: 30d}

feature_services:''')
        s, d = request(c, 'PUT', '/v1/registry', yaml, 'application/yaml')
        assert s == 200, d
        feats = [f'bench_orders:{n}' for n in ['a1', 'a2', 'a3', 'a4', 'a5', 'w1', 'w2', 'w3', 'w4', 'w5']]
        keys = [f'C{1000 + i}' for i in range(300)]
        lat = []
        for i in range(WARMUP + REQUESTS):
            body = json.dumps({"features": feats, "entities": {"customer_id": [keys[i % len(keys)]]}})
            a = time.perf_counter()
            s, d = request(c, 'POST', '/v1/features/online', body)
            b = time.perf_counter()
            assert s == 200, d
            if i >= WARMUP:
                lat.append((b - a) * 1000)
        total = sum(lat) / 1000
        p50, p99, p999 = pct(lat, .5), pct(lat, .99), pct(lat, .999)
        print(f'lookup 1 entity x 10 features, {REQUESTS} sequential requests after {WARMUP} warm-up: '
              f'p50 {p50:.2f} ms, p99 {p99:.2f} ms, p99.9 {p999:.2f} ms, {REQUESTS / total:.0f} req/s')

        now = int(time.time() * 1000)
        def rows(prefix, n):
            return ''.join(json.dumps({"customer_id": f"B{i % 5000}", "order_id": f"{prefix}{i}", "amount": i % 997,
                                       "channel": "web", "event_ts": now - i * 1000}) + '\n' for i in range(n))
        body = rows('one', 100_000).encode()
        a = time.perf_counter(); s, d = request(c, 'POST', '/v1/ingest/orders', body, 'application/x-ndjson')
        one = time.perf_counter() - a
        assert s == 200 and json.loads(d)['accepted'] == 100_000, d
        print(f'ingest 100k rows in one NDJSON request ({len(body) / 1e6:.1f} MB): {one:.2f} s, {100_000 / one:.0f} rows/s')
        a = time.perf_counter()
        for k in range(10):
            s, d = request(c, 'POST', '/v1/ingest/orders', rows(f'ten{k}-', 10_000).encode(), 'application/x-ndjson')
            assert s == 200 and json.loads(d)['accepted'] == 10_000, d
        ten = time.perf_counter() - a
        print(f'ingest 100k rows in 10 requests of 10k, each acknowledged: {ten:.2f} s, {100_000 / ten:.0f} rows/s')
        c.close()
    finally:
        stop(p)
    t0 = time.time(); p = start(data)
    again = first_answer(p, t0)
    stop(p)
    print(f'restart (same data dir) -> first lookup answered: {again:.2f} s')
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({"bench": "foundation", "up_to_first_answer_s": round(first, 2), "restart_to_first_answer_s": round(again, 2),
                      "lookup_p50_ms": round(p50, 3), "lookup_p99_ms": round(p99, 3), "lookup_rps_1_client": round(REQUESTS / total),
                      "ingest_rows_per_s_one_request": round(100_000 / one), "ingest_rows_per_s_10k_batches": round(100_000 / ten)}))

if __name__ == '__main__':
    main()
