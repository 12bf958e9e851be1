"""Benchmark `ghostload generate` end to end (CLI start to files written) on the seed's three configurations.

Prints wall time, peak RSS of the CLI process and output size. Figures are measured, never asserted:
`python bench/bench.py [--repeat N]`."""
import argparse, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

CONFIGS = [  # the seed README's performance table
    ('50 TX, 2K meters, 12 mo', 50, 2_000, 12),
    ('100 TX, 5K meters, 12 mo', 100, 5_000, 12),
    ('200 TX, 10K meters, 24 mo', 200, 10_000, 24),
]

def ghostload():
    exe = Path(sys.executable).parent / 'ghostload'
    return str(exe) if exe.exists() else shutil.which('ghostload')

def run_once(tx, meters, months, out):
    argv = [ghostload(), 'generate', '--num-transformers', str(tx), '--num-meters', str(meters),
            '--num-months', str(months), '--output-dir', str(out), '--overwrite', '-q']
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0: raise SystemExit(f"generate failed: {argv}")
    size = sum(p.stat().st_size for p in Path(out).iterdir())
    return wall, usage.ru_maxrss / 1024, size / 1e6

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--repeat', type=int, default=3, help="runs per configuration; the best wall time is reported")
    args = ap.parse_args()
    print(f"{'configuration':<28} {'best wall s':>11} {'median s':>9} {'peak RSS MB':>12} {'output MB':>10}")
    with tempfile.TemporaryDirectory() as d:
        for name, tx, m, mo in CONFIGS:
            runs = [run_once(tx, m, mo, Path(d) / 'out') for _ in range(args.repeat)]
            walls = sorted(r[0] for r in runs)
            print(f"{name:<28} {walls[0]:>11.3f} {walls[len(walls) // 2]:>9.3f} {max(r[1] for r in runs):>12.1f} {runs[0][2]:>10.2f}")

if __name__ == '__main__': main()
