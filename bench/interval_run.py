"""The product path for interval data (issue 14): `GeneratorConfig(resolution=...)` -> `generate_interval_dataset` (one atomic
folder) -> `validate_interval` (`ghostload validate`'s interval check). Prints measured figures; no timed tests.

For each case a fresh subprocess generates then validates; it prints wall time of each step, readings, peak RSS
(ru_maxrss of the subprocess) and whether the dataset validated.
Usage: python bench/interval_run.py [--dir /tmp/ivrun] [--workers 2]"""
import argparse, json, shutil, subprocess, sys
from pathlib import Path

CHILD = r'''
import json, resource, sys, time
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.interval_run import generate_interval_dataset, validate_interval
res, n, months, folder, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
cfg = GeneratorConfig(num_meters=n, num_months=months, resolution=res, random_seed=1)
t = time.perf_counter(); out = generate_interval_dataset(cfg, folder, workers=workers, overwrite=True); g = time.perf_counter() - t
t = time.perf_counter(); rep = validate_interval(out); v = time.perf_counter() - t
man = json.loads((out / 'interval_manifest.json').read_text())
rows = sum(f['rows'] for k, f in man['files'].items() if k.startswith('meter_readings.parquet'))
print(json.dumps({'generate_s': round(g, 1), 'validate_s': round(v, 1), 'readings': rows, 'valid': rep.ok,
                  'rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
'''

CASES = [('daily', 42_372, 34), ('hourly', 10_000, 12), ('30min', 5_000, 12)]

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--dir', default='/tmp/ivrun'); ap.add_argument('--workers', type=int, default=2)
    a = ap.parse_args()
    for res, n, months in CASES:
        folder = Path(a.dir) / f"{res}_{n}"
        r = subprocess.run([sys.executable, '-c', CHILD, res, str(n), str(months), str(folder), str(a.workers)], capture_output=True, text=True)
        if r.returncode: print(res, n, 'FAILED', r.stderr.strip().splitlines()[-1]); continue
        d = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"{res:7s} {n:>7,} meters x {months} months: {d['readings']:>12,} readings; generate {d['generate_s']:6.1f} s, "
              f"validate {d['validate_s']:6.1f} s, valid={d['valid']}, peak RSS {d['rss_mb']:,} MB")
        shutil.rmtree(folder, ignore_errors=True)
