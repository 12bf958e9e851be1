"""Measure the constants of `ghostload_nb.guards`: peak RSS and wall time of the in-memory path
(`SyntheticDataPipeline(cfg).generate_all()` + `save_dataset`) at a few sizes, each in a fresh subprocess.

Peak RSS is the child's `ru_maxrss` from `os.wait4`; times are the child's own `perf_counter` readings.
Prints one row per run and least-squares fits; figures are measured, never asserted:
`python bench/guards_calibrate.py [--quick]`."""
import argparse, json, os, platform, subprocess, sys, tempfile
from pathlib import Path
import numpy as np

CHILD = r"""
import json, sys, time, io
t0 = time.perf_counter()
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.pipeline import SyntheticDataPipeline, save_dataset
t1 = time.perf_counter()
preset, tx, meters, months, out, fmt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
cfg = GeneratorConfig.from_preset(preset, num_transformers=tx, num_meters=meters, num_months=months)
outputs = SyntheticDataPipeline(cfg).generate_all() if not fmt.startswith('stream') else None
t2 = time.perf_counter()
if fmt.startswith('stream'):   # stream-FORMATS-WORKERS, e.g. stream-both-2
    from ghostload_nb.stream import generate_dataset
    _, formats, workers = fmt.split('-')
    t1 = time.perf_counter()
    generate_dataset(cfg, out, formats=formats, workers=int(workers), progress=False)
    t2 = time.perf_counter()
    size = sum(p.stat().st_size for p in __import__('pathlib').Path(out).rglob('*') if p.is_file())
elif fmt == 'csv':
    save_dataset(outputs, cfg, out)
    size = sum(p.stat().st_size for p in __import__('pathlib').Path(out).iterdir())
else:
    import pyarrow as pa, pyarrow.parquet as pq
    size = 0
    for k, df in outputs.items():
        if k == 'geojson': continue
        buf = io.BytesIO(); pq.write_table(pa.Table.from_pandas(df, preserve_index=False), buf); size += buf.tell()
t3 = time.perf_counter()
print(json.dumps({'import_s': t1 - t0, 'generate_s': t2 - t1, 'write_s': t3 - t2, 'bytes': size}))
"""

def run(preset, tx, meters, months, fmt='csv'):
    with tempfile.TemporaryDirectory() as d:
        proc = subprocess.Popen([sys.executable, '-c', CHILD, preset, str(tx), str(meters), str(months), str(Path(d) / 'out'), fmt],
                                stdout=subprocess.PIPE, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0: raise SystemExit(f"child failed: {preset} {meters} {months}")
    return {**json.loads(out), 'preset': preset, 'tx': tx, 'meters': meters, 'months': months, 'fmt': fmt,
            'peak_rss': usage.ru_maxrss * 1024}

def baseline_rss():
    proc = subprocess.Popen([sys.executable, '-c', 'from ghostload_nb.pipeline import SyntheticDataPipeline, save_dataset'])
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss * 1024

def fit(x, y):
    "Least squares y = a + b x."
    b, a = np.polyfit(np.asarray(x, float), np.asarray(y, float), 1)
    return a, b

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--quick', action='store_true', help="smaller sizes (a few seconds)")
    ap.add_argument('--stream-only', action='store_true', help="only the streaming writer's peak RSS, at 100k..800k meters")
    args = ap.parse_args()
    sizes = [20_000, 50_000, 100_000] if args.quick else [50_000, 100_000, 200_000, 400_000, 800_000]
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.processor() or platform.platform()}, python {platform.python_version()}")
    if args.stream_only:
        t = {}
        for m in (100_000, 200_000, 400_000, 800_000):
            for formats, workers in ([('both', 2)] if m < 800_000 else [('both', 2), ('csv', 2), ('parquet', 2), ('both', 1)]):
                r = run('seed', m // 40, m, 12, f'stream-{formats}-{workers}')
                t[m, formats, workers] = r
                print(f"stream seed {m:>8} meters {m // 40:>6} TX 12 months {formats:<7} {workers} workers: peak RSS "
                      f"{r['peak_rss'] / 2**20:7.1f} MiB, {r['generate_s']:6.2f} s, {r['bytes'] / 1e6:7.1f} MB", flush=True)
        m = 800_000; mm = m * 12
        csv, pq, both = (t[m, f, 2] for f in ('csv', 'parquet', 'both'))
        g = max(0.0, csv['generate_s'] + pq['generate_s'] - both['generate_s'])
        print(f"streaming time split (800,000 x 12, 2 workers): generation {g / mm * 1e9:.1f} ns/meter-month, "
              f"csv {(csv['generate_s'] - g) / csv['bytes'] * 1e9:.2f} ns/byte, parquet {(pq['generate_s'] - g) / pq['bytes'] * 1e9:.2f} ns/byte; "
              f"2 workers vs 1: {t[m, 'both', 1]['generate_s'] / both['generate_s']:.2f}x")
        return
    base = baseline_rss()
    print(f"import ghostload_nb.pipeline peak RSS: {base / 2**20:.1f} MiB")
    rows = []
    print(f"{'preset':<13} {'fmt':<8} {'meters':>8} {'TX':>7} {'mo':>3} {'meter-months':>12} {'peak MiB':>9} {'gen s':>7} {'write s':>7} {'MB':>8}")
    for preset, months, per_tx in [('seed', 12, 40), ('seed', 24, 40), ('metro_manila', 24, 40), ('seed', 24, 4)]:
        for m in (sizes if per_tx == 40 else sizes[:3]):
            for fmt in (('csv', 'parquet') if per_tx == 40 else ('csv',)):
                r = run(preset, max(1, m // per_tx), m, months, fmt); rows.append(r)
                print(f"{preset:<13} {fmt:<8} {m:>8} {m // per_tx:>7} {months:>3} {m * months:>12} {r['peak_rss'] / 2**20:>9.1f} "
                      f"{r['generate_s']:>7.2f} {r['write_s']:>7.2f} {r['bytes'] / 1e6:>8.1f}", flush=True)
    for m in (sizes[1], sizes[-1]):
        r = run('seed', m // 40, m, 12, 'stream-both-2'); rows.append(r)
        print(f"{'seed':<13} {'stream':<8} {m:>8} {m // 40:>7} {12:>3} {m * 12:>12} {r['peak_rss'] / 2**20:>9.1f} "
              f"{r['generate_s']:>7.2f} {r['write_s']:>7.2f} {r['bytes'] / 1e6:>8.1f}  (generate_dataset, csv+parquet, 2 workers)", flush=True)
    csv = [r for r in rows if r['fmt'] == 'csv']
    X = np.array([[1, r['meters'] * r['months'], r['meters'], r['tx'] * r['months']] for r in csv], float)
    coef, *_ = np.linalg.lstsq(X, np.array([r['peak_rss'] for r in csv], float), rcond=None)
    print(f"peak RSS fit (all csv runs): {coef[0] / 2**20:.1f} MiB + {coef[1]:.1f} B/meter-month + {coef[2]:.1f} B/meter"
          f" + {coef[3]:.1f} B/transformer-month")
    pred = X @ coef
    print("  measured/fit: " + ", ".join(f"{r['peak_rss'] / p:.2f}" for r, p in zip(csv, pred)))
    for preset in ('seed', 'metro_manila'):
        sel = [r for r in csv if r['preset'] == preset and r['meters'] // r['tx'] >= 40]
        a, b = fit([r['meters'] * r['months'] for r in sel], [r['peak_rss'] for r in sel])
        print(f"peak RSS fit ({preset}, generate_all + save_dataset): {a / 2**20:.1f} MiB + {b:.1f} B/meter-month")
        a, b = fit([r['meters'] * r['months'] for r in sel], [r['generate_s'] for r in sel])
        print(f"generate_all fit ({preset}): {a:.3f} s + {b * 1e9:.1f} ns/meter-month")
    for fmt in ('csv', 'parquet'):
        sel = [r for r in rows if r['fmt'] == fmt]
        a, b = fit([r['bytes'] for r in sel], [r['write_s'] for r in sel])
        print(f"{fmt} write fit: {a:.3f} s + {b * 1e9:.2f} ns/byte ({1 / b / 1e6:.0f} MB/s)")
    print(f"import time (median): {np.median([r['import_s'] for r in rows]):.2f} s")

if __name__ == '__main__': main()
