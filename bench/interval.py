"""Interval benchmark (issue 14): prints measured figures; no timed tests.

1. 10,000 meters x 1 year x 30-minute (175.7 M readings, 2024 is a leap year) to Parquet, against the raw floor measured
   in the same run: drawing the same number of standard normals (float64, one thread) and writing them as one float
   column with pyarrow (snappy), 2**22 values per row group. Target <= 3x the floor; peak RSS <= 1.5 GB.
2. Streamed runs at 10k, 30k, 100k meters (same settings): peak RSS should not grow with the meter count.
3. The Dask engine writes the same bytes as the local one (compared by the manifest's sha256 of every file).

`--path product` (default) runs the product, `generate_interval_dataset`: the interval Parquet tables and, from the same
blocks, the seed's monthly tables (meter_consumption.csv = exact interval sums, labels, energy balance, manifest.json),
preset metro_manila at 30 minutes, one transformer per 40 meters. `--path tables` runs `write_interval_dataset` alone.

Every run is a fresh subprocess (peak RSS = its ru_maxrss). Outputs go to --dir and are deleted after each run.
Usage: python bench/interval.py [--dir /tmp/ivbench] [--workers 2] [--sizes 10000,30000,100000] [--skip-floor]"""
import argparse, json, os, shutil, subprocess, sys, time

CHILD = r'''
import json, resource, sys, time
kind, n, folder, workers, engine = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
t = time.perf_counter()
if kind == 'floor':
    import numpy as np, pyarrow as pa, pyarrow.parquet as pq
    rng = np.random.default_rng(0)
    w = pq.ParquetWriter(folder + '.floor.parquet', pa.schema([('x', pa.float64())]), compression='snappy')
    for s in range(0, n, 1 << 22): w.write_table(pa.table({'x': rng.standard_normal(min(1 << 22, n - s))}))
    w.close()
    out = {}
elif kind == 'tables':                                  # the interval tables alone (no monthly tables)
    from ghostload_nb.interval_config import interval_preset
    from ghostload_nb.interval_io import write_interval_dataset
    cfg = interval_preset('metro_manila', resolution='30min', num_meters=n, num_months=12, start_month='2024-01')
    man = write_interval_dataset(cfg, folder, workers=workers, engine=engine)
    out = {'readings': man['files'] and sum(v['rows'] for k, v in man['files'].items() if k.startswith('meter_readings.parquet')),
           'hashes': {k: v['sha256'] for k, v in man['files'].items()}}
else:                                                   # the product: interval tables + the seed's monthly tables, one folder
    import json as _j
    from pathlib import Path
    from ghostload_nb.config import GeneratorConfig
    from ghostload_nb.interval_run import generate_interval_dataset
    cfg = GeneratorConfig(num_meters=n, num_transformers=max(1, n // 40), num_months=12, start_month='2024-01', resolution='30min')
    out_dir = generate_interval_dataset(cfg, folder, workers=workers, engine=engine, preset='metro_manila')
    files = _j.loads((Path(out_dir) / 'manifest.json').read_text())['files']
    out = {'readings': sum(v['rows'] for k, v in files.items() if k.startswith('meter_readings.parquet')),
           'hashes': {k: v['sha256'] for k, v in files.items()}}
out.update(wall=time.perf_counter() - t, peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
'''

def run(kind, n, folder, workers=2, engine='local'):
    r = subprocess.run([sys.executable, '-c', CHILD, kind, str(n), folder, str(workers), engine], capture_output=True, text=True)
    if r.returncode: sys.exit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])

def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs) / 1e9

p = argparse.ArgumentParser()
p.add_argument('--dir', default='/tmp/ivbench'); p.add_argument('--workers', type=int, default=2)
p.add_argument('--sizes', default='10000,30000,100000'); p.add_argument('--skip-floor', action='store_true')
p.add_argument('--skip-dask', action='store_true')
p.add_argument('--path', choices=('product', 'tables'), default='product',
               help="product: `generate_interval_dataset` (interval + monthly tables, manifest.json); tables: `write_interval_dataset` only")
a = p.parse_args()
os.makedirs(a.dir, exist_ok=True)
print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.1f} workers={a.workers} path={a.path}", flush=True)
readings_10k = 10_000 * 366 * 48
if not a.skip_floor:
    fl = run('floor', readings_10k, os.path.join(a.dir, 'f'))
    os.remove(os.path.join(a.dir, 'f') + '.floor.parquet')
    print(f"floor: {readings_10k:,} normals drawn + written as one float64 Parquet column: {fl['wall']:.1f} s", flush=True)
base = None
for n in map(int, a.sizes.split(',')):
    folder = os.path.join(a.dir, f'ds{n}')
    r = run(a.path, n, folder, a.workers)
    size = du(folder)
    line = f"{n:>7,} meters x 366 d x 48: {r['readings']:,} readings, {r['wall']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB, {size:.2f} GB on disk"
    if n == 10_000 and not a.skip_floor: line += f", {r['wall'] / fl['wall']:.2f}x the floor"
    print(line, flush=True)
    if n == 10_000: base = r
    shutil.rmtree(folder)
if base is not None and not a.skip_dask:
    d = run(a.path, 10_000, os.path.join(a.dir, 'dask'), a.workers, 'dask')
    shutil.rmtree(os.path.join(a.dir, 'dask'))
    print(f"dask engine, 10,000 meters: {d['wall']:.1f} s, peak RSS {d['peak_rss_mb']:.0f} MB, byte-identical to local: {d['hashes'] == base['hashes']}", flush=True)
