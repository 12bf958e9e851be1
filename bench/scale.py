"""Scale benchmark of the streaming generator (issue 7). Figures are measured and printed, never asserted.

    python bench/scale.py                      # everything: headline 1M x 24, sweep 10^3..10^7, RNG fraction, Dask identity
    python bench/scale.py --max-meters 1e6     # a quicker sweep
    python bench/scale.py --json bench/results/scale.json

Every generation run is a separate `python -m ghostload_nb generate ...` process (CLI start to files written, fsync
included); peak RSS is that process's `ru_maxrss` from `os.wait4`. Dask workers are separate processes, so a Dask run's
RSS is the client's only (stated in the output). num_transformers = num_meters / 40 (the seed's 2,000 / 50 ratio).
"""
import argparse, hashlib, json, os, platform, shutil, subprocess, sys, tempfile, time
from pathlib import Path

def generate(out, meters, months, fmt='parquet', engine='local', workers=None, seed=42):
    "Run the CLI once; return (wall s, peak RSS MB, output bytes)."
    argv = [sys.executable, '-m', 'ghostload_nb', 'generate', '--num-meters', str(meters), '--num-transformers',
            str(max(1, meters // 40)), '--num-months', str(months), '--seed', str(seed), '--format', fmt, '--engine', engine,
            '--output-dir', str(out), '--overwrite', '-q']
    if workers: argv += ['--workers', str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0: raise SystemExit(f"generate failed: {' '.join(argv)}")
    size = sum(p.stat().st_size for p in Path(out).rglob('*') if p.is_file())
    return wall, usage.ru_maxrss / 1024, size

def file_hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob('*')) if p.is_file()}

def rng_fraction(meters=1_000_000, months=24):
    "Meter-months per second of the generation core vs raw numpy normal draws of the same shape, in this process."
    import numpy as np
    from ghostload_nb.config import GeneratorConfig, block_sizes
    from ghostload_nb.grid import TransformerGenerator
    from ghostload_nb.meters import MeterPlan, meter_block
    from ghostload_nb.consumption import true_consumption, block_classes
    cfg = GeneratorConfig(num_meters=meters, num_transformers=meters // 40, num_months=months)
    tx, counts, _ = TransformerGenerator(cfg).layout()
    plan = MeterPlan(cfg, tx, counts)
    sizes = block_sizes(meters)
    def timed(fn):
        t0 = time.perf_counter(); fn(); return time.perf_counter() - t0
    rng = np.random.Generator(np.random.PCG64(1))
    raw = timed(lambda: [rng.standard_normal((int(n), months)) for n in sizes])
    numeric = timed(lambda: [true_consumption(cfg, block_classes(cfg, b, plan.classes), b) for b in range(len(sizes))])
    full = timed(lambda: [meter_block(plan, b) for b in range(len(sizes))])
    mm = meters * months
    return {'meter_months': mm, 'raw_normal_per_s': mm / raw, 'consumption_per_s': mm / numeric, 'meter_block_per_s': mm / full,
            'consumption_fraction': raw / numeric, 'meter_block_fraction': raw / full}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--max-meters', type=float, default=1e7, help="largest run of the sweep (default 1e7)")
    ap.add_argument('--csv-max-meters', type=float, default=1e6, help="largest CSV run of the sweep (default 1e6)")
    ap.add_argument('--repeat', type=int, default=1, help="runs of the headline configurations; the best is reported")
    ap.add_argument('--no-dask', action='store_true', help="skip the Dask identity run")
    ap.add_argument('--json', type=Path, help="also write every figure as JSON")
    ap.add_argument('--dir', type=Path, help="scratch folder (default: a temporary folder; needs ~10 GB free for 1e7)")
    args = ap.parse_args()
    res = {'machine': {'python': platform.python_version(), 'cpus': os.cpu_count(), 'platform': platform.platform()},
           'date': time.strftime('%Y-%m-%d'), 'headline': {}, 'sweep': [], 'rng': None, 'dask': None}
    scratch = Path(tempfile.mkdtemp(dir=args.dir))
    try:
        print("== headline: 1,000,000 meters x 24 months (targets: Parquet <= 5 s, CSV <= 10 s, peak RSS <= 1.5 GB)")
        for fmt in ('parquet', 'csv'):
            runs = [generate(scratch / 'h', 1_000_000, 24, fmt) for _ in range(args.repeat)]
            wall, rss, size = min(runs)
            res['headline'][fmt] = {'wall_s': wall, 'peak_rss_mb': max(r[1] for r in runs), 'bytes': size}
            print(f"  {fmt:<8} wall {wall:6.2f} s   peak RSS {max(r[1] for r in runs):7.0f} MB   output {size / 1e6:8.1f} MB")
            shutil.rmtree(scratch / 'h', ignore_errors=True)
        print("== sweep: time and peak memory against num_meters (12 months)")
        n = 1000
        while n <= args.max_meters:
            for fmt in ('parquet', 'csv'):
                if fmt == 'csv' and n > args.csv_max_meters: continue
                wall, rss, size = generate(scratch / 's', n, 12, fmt)
                res['sweep'].append({'num_meters': n, 'format': fmt, 'wall_s': wall, 'peak_rss_mb': rss, 'bytes': size})
                print(f"  {n:>10,} {fmt:<8} wall {wall:7.2f} s   peak RSS {rss:7.0f} MB   output {size / 1e6:9.1f} MB"
                      f"   {n * 12 / wall / 1e6:6.2f} M meter-months/s")
                shutil.rmtree(scratch / 's', ignore_errors=True)
            n *= 10
        print("== generation core vs raw numpy RNG (1M meters x 24 months, one thread, this process)")
        res['rng'] = r = rng_fraction()
        print(f"  raw standard normals        {r['raw_normal_per_s'] / 1e6:7.1f} M/s")
        print(f"  consumption (the random process)  {r['consumption_per_s'] / 1e6:7.1f} M meter-months/s = {r['consumption_fraction']:.0%} of raw")
        print(f"  meter_block (all of a block's tables)  {r['meter_block_per_s'] / 1e6:7.1f} M meter-months/s = {r['meter_block_fraction']:.0%} of raw")
        if not args.no_dask:
            print("== Dask engine (2 local worker processes) vs local engine: 300,000 meters x 12 months, CSV + Parquet")
            wl, rl, _ = generate(scratch / 'local', 300_000, 12, 'both', 'local', 2)
            wd, rd, _ = generate(scratch / 'dask', 300_000, 12, 'both', 'dask', 2)
            a, b = file_hashes(scratch / 'local'), file_hashes(scratch / 'dask')
            same = a == b
            res['dask'] = {'files': len(a), 'identical': same, 'local_wall_s': wl, 'dask_wall_s': wd, 'dask_client_rss_mb': rd}
            print(f"  {len(a)} files, byte-for-byte identical: {same}; local {wl:.2f} s, dask {wd:.2f} s (client RSS {rd:.0f} MB)")
    finally: shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2) + '\n')
        print(f"wrote {args.json}")

if __name__ == '__main__': main()
