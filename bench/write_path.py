"""Throughput and memory of the one writer (issue 11) and memory against the number of workers (issue 12).
Figures are measured and printed, never asserted.

    python bench/write_path.py                       # 1M meters x 24 months to Parquet, 3 runs, floor beside it; workers sweep
    python bench/write_path.py --meters 200000 --repeat 1 --workers-sweep ''   # a quick look

Every run is a fresh `python -c` process (import to files written, fsync included). Peak RSS is reported two ways: the
process's own `ru_maxrss` from `os.wait4`, and the peak of the summed RSS of the process and all its descendants
(worker processes included), sampled from /proc every 50 ms.

The floor is the same work reduced to its minimum, measured in the same session: draw the same number of lognormal
values (meters x months, in blocks of BLOCK_SIZE meters) in ONE thread with numpy and write each block with pyarrow as a
Parquet file of `months` float64 columns (snappy), fsync included. The ratio is generate / floor.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

GENERATE = """
import sys
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.stream import generate_dataset
n, months, workers, fmt = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
cfg = GeneratorConfig(num_meters=n, num_transformers=max(1, n // 40), num_months=months, random_seed=42)
generate_dataset(cfg, sys.argv[1], formats=fmt, workers=workers, progress=False)
"""

FLOOR = """
import os, sys
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from ghostload_nb.config import BLOCK_SIZE
out, n, months = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(42)
for b, s in enumerate(range(0, n, BLOCK_SIZE)):
    x = rng.lognormal(5.0, 0.8, size=(min(BLOCK_SIZE, n - s), months))
    path = os.path.join(out, f"part-{b:05d}.parquet")
    pq.write_table(pa.table({f"m{j}": x[:, j] for j in range(months)}), path, compression='snappy')
    fd = os.open(path, os.O_RDONLY); os.fsync(fd); os.close(fd)
"""

def _tree_rss(root:int)->int:
    "Resident bytes of process `root` and all its descendants now (from /proc; 0 for processes that just ended)."
    children, rss = {}, {}
    for d in os.listdir('/proc'):
        if not d.isdigit(): continue
        try:
            with open(f'/proc/{d}/stat') as f: ppid = int(f.read().rsplit(')', 1)[1].split()[1])
            with open(f'/proc/{d}/statm') as f: rss[int(d)] = int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
        except (OSError, ValueError, IndexError): continue
        children.setdefault(ppid, []).append(int(d))
    total, todo = 0, [root]
    while todo:
        p = todo.pop(); total += rss.get(p, 0); todo += children.get(p, [])
    return total

def run(code, *args):
    "Run `code` in a fresh interpreter; return (wall s, peak RSS MiB of the process, of its process tree, CPU seconds)."
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, '-c', code, *map(str, args)])
    tree = 0
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid: break
        tree = max(tree, _tree_rss(p.pid)); time.sleep(0.05)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0: raise SystemExit(f"run failed: {args}")
    cpu = usage.ru_utime + usage.ru_stime          # includes the worker processes it reaped
    return wall, usage.ru_maxrss / 1024, max(tree / 2**20, usage.ru_maxrss / 1024), cpu

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--meters', type=int, default=1_000_000)
    ap.add_argument('--months', type=int, default=24)
    ap.add_argument('--format', default='parquet')
    ap.add_argument('--workers', type=int, default=2, help="workers of the throughput runs")
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--workers-sweep', default='1,2,4,16', help="comma-separated worker counts for the memory sweep ('' skips it)")
    ap.add_argument('--sweep-meters', type=int, default=400_000)
    ap.add_argument('--sweep-months', type=int, default=12)
    ap.add_argument('--json', type=Path)
    a = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix='ghostload-bench-'))
    res = {'cpus': os.cpu_count(), 'meters': a.meters, 'months': a.months, 'format': a.format, 'workers': a.workers}
    try:
        floors, gens = [], []
        for i in range(a.repeat):          # interleaved, so both see the same machine load
            floors.append(run(FLOOR, d / 'floor', a.meters, a.months)); shutil.rmtree(d / 'floor', ignore_errors=True)
            gens.append(run(GENERATE, d / 'gen', a.meters, a.months, a.workers, a.format)); shutil.rmtree(d / 'gen', ignore_errors=True)
            print(f"run {i + 1}: floor {floors[-1][0]:.2f} s ({floors[-1][3]:.1f} CPU s), generate {gens[-1][0]:.2f} s ({gens[-1][3]:.1f} CPU s; "
                  f"peak RSS {gens[-1][1]:.0f} MiB, process tree {gens[-1][2]:.0f} MiB)", flush=True)
        fw, gw = [f[0] for f in floors], [g[0] for g in gens]
        res.update(floor_best=min(fw), floor_median=statistics.median(fw), generate_best=min(gw), generate_median=statistics.median(gw),
                   ratio_best=min(gw) / min(fw), ratio_median=statistics.median(gw) / statistics.median(fw),
                   generate_peak_rss_mib=max(g[1] for g in gens), generate_peak_tree_rss_mib=max(g[2] for g in gens),
                   floor_peak_rss_mib=max(f[1] for f in floors),
                   cpu_ratio_median=statistics.median(g[3] for g in gens) / statistics.median(f[3] for f in floors),
                   load_average=os.getloadavg())
        print(f"{a.meters:,} meters x {a.months} months -> {a.format}, {a.workers} workers, {os.cpu_count()} CPUs:")
        print(f"  floor    best {res['floor_best']:.2f} s  median {res['floor_median']:.2f} s")
        print(f"  generate best {res['generate_best']:.2f} s  median {res['generate_median']:.2f} s  peak RSS {res['generate_peak_rss_mib']:.0f} MiB (tree {res['generate_peak_tree_rss_mib']:.0f} MiB)")
        print(f"  ratio    best {res['ratio_best']:.2f}  median {res['ratio_median']:.2f}  (CPU seconds, median: {res['cpu_ratio_median']:.2f}; "
              f"load average at the end {res['load_average'][0]:.1f} on {os.cpu_count()} CPUs)")
        sweep = [int(w) for w in a.workers_sweep.split(',') if w]
        if sweep: print(f"memory vs workers ({a.sweep_meters:,} meters x {a.sweep_months} months, csv+parquet):")
        res['workers_sweep'] = {}
        for w in sweep:
            wall, rss, tree, _ = run(GENERATE, d / 'sweep', a.sweep_meters, a.sweep_months, w, 'both'); shutil.rmtree(d / 'sweep', ignore_errors=True)
            res['workers_sweep'][w] = {'seconds': wall, 'peak_rss_mib': rss, 'peak_tree_rss_mib': tree}
            print(f"  --workers {w:>2}: {wall:6.2f} s, peak RSS {rss:6.0f} MiB (process tree {tree:6.0f} MiB)", flush=True)
    finally: shutil.rmtree(d, ignore_errors=True)
    if a.json: a.json.write_text(json.dumps(res, indent=2) + '\n')

if __name__ == '__main__': main()
