"""Measure `ghostload validate DIR` wall time and peak RSS (GNU time) on an existing dataset folder.

Usage: python bench/validate_memory.py DIR [DIR ...]   (generate first, e.g.
  ghostload generate --num-meters 1000000 --num-transformers 25000 --num-months 12 --format parquet --output-dir /tmp/big)
Prints one line per folder: meters, months, format, exit status, wall seconds, peak RSS in MB."""
import json, re, subprocess, sys, time
from pathlib import Path

def measure(folder:Path)->dict:
    exe = Path(sys.executable).parent / 'ghostload'
    t0 = time.perf_counter()
    r = subprocess.run(['/usr/bin/time', '-v', str(exe), 'validate', str(folder)], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rss_kb = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', r.stderr)[1])
    cfg = json.loads((folder / 'manifest.json').read_text())['config'] if (folder / 'manifest.json').is_file() else {}
    fmt = 'both' if (folder / 'meter_consumption.csv').exists() and (folder / 'meter_consumption.parquet').exists() else \
          'csv' if (folder / 'meter_consumption.csv').exists() else 'parquet'
    return {'folder': str(folder), 'meters': cfg.get('num_meters'), 'months': cfg.get('num_months'), 'format': fmt,
            'exit': r.returncode, 'seconds': round(wall, 1), 'peak_rss_mb': round(rss_kb / 1024), 'first_line': r.stdout.splitlines()[:1]}

if __name__ == '__main__':
    for d in sys.argv[1:]: print(json.dumps(measure(Path(d))))
