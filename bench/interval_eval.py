"""Detector study on interval presets (issue 14): train on one seed, test on another; prints ROC-AUC per attack type.

Usage: python bench/interval_eval.py [--sgcc-meters N] [--presets sgcc_like,cer_like,metro_manila]
Published bands to compare with: SGCC models ~0.75-0.90 ROC-AUC (daily, real labels); Jokar's SVM ~94% detection on CER."""
import argparse, json, time
from ghostload_nb.interval_config import interval_preset
from ghostload_nb.interval_eval import evaluate_interval

p = argparse.ArgumentParser()
p.add_argument('--sgcc-meters', type=int, default=42_372)
p.add_argument('--presets', default='sgcc_like,cer_like,metro_manila')
a = p.parse_args()
for name in a.presets.split(','):
    over = {'num_meters': a.sgcc_meters} if name == 'sgcc_like' else {}
    t = time.time()
    r = evaluate_interval(interval_preset(name, random_seed=1, **over), interval_preset(name, random_seed=2, **over))
    cfg = interval_preset(name, **over)
    print(f"== {name}: {cfg.num_meters:,} meters x {len(cfg.days)} days x {cfg.steps_per_day}/day per seed, train seed 1, test seed 2 ({time.time() - t:.0f} s)")
    for det, v in r.items():
        print(f"  {det:17s} " + ' '.join(f"{k}={v[k]:.3f}" if isinstance(v[k], float) else f"{k}={v[k]}" for k in v))
    print(json.dumps({name: r}), flush=True)
