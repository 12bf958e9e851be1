"`ghostload generate --resolution`, `validate` and `evaluate` on interval datasets (issue 14), through the real CLI entry point."
import json
from pathlib import Path
import pandas as pd
from cli_run import run_inprocess

def test_generate_validate_evaluate_an_hourly_dataset(tmp_path):
    r = run_inprocess('generate', '--resolution', 'hourly', '--num-meters', '120', '--num-months', '2', '--seed', '3', '--output-dir', 'h', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = tmp_path / 'h'
    assert 'resolution: hourly' in r.stdout and (out / 'interval_manifest.json').is_file()
    cfg = json.loads((out / 'interval_manifest.json').read_text())['config']
    assert (cfg['resolution'], cfg['num_meters'], cfg['num_months'], cfg['random_seed']) == ('hourly', 120, 2, 3)
    assert len(pd.read_parquet(out / 'meter_readings.parquet')) == 120 * 60 * 24
    v = run_inprocess('validate', out)
    assert v.returncode == 0 and ': valid (' in v.stdout, v.stdout + v.stderr
    e = run_inprocess('evaluate', out, '--json', tmp_path / 'm.json')
    assert e.returncode == 0, e.stderr
    assert 'isolation_forest' in e.stdout and 'hgb' in e.stdout
    assert set(json.loads((tmp_path / 'm.json').read_text())['detectors']) == {'isolation_forest', 'hgb'}

def test_validate_names_a_changed_interval(tmp_path):
    assert run_inprocess('generate', '--resolution', 'daily', '--num-meters', '200', '--num-months', '2', '--output-dir', 'd', cwd=tmp_path).returncode == 0
    part = tmp_path / 'd' / 'meter_readings.parquet' / 'part-00000.parquet'
    t = pd.read_parquet(part); i = int(t.kwh.notna().to_numpy().nonzero()[0][7]); t.loc[i, 'kwh'] += 1.0; t.to_parquet(part, index=False)
    v = run_inprocess('validate', tmp_path / 'd')
    assert v.returncode == 1
    assert 'interval_monthly.parquet/part-00000.parquet: kwh is not the sum' in v.stdout

def test_bad_resolution_and_monthly_only_flags_exit_2_writing_nothing(tmp_path):
    r = run_inprocess('generate', '--resolution', 'weekly', '--output-dir', 'w', cwd=tmp_path)
    assert r.returncode == 2 and 'resolution' in r.stderr
    r = run_inprocess('generate', '--resolution', 'daily', '--map', '--output-dir', 'w', cwd=tmp_path)
    assert r.returncode == 2 and '--map' in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []

def test_monthly_default_unchanged(tmp_path):
    a = run_inprocess('generate', '--num-meters', '200', '--num-transformers', '10', '--output-dir', 'a', '-q', cwd=tmp_path)
    b = run_inprocess('generate', '--num-meters', '200', '--num-transformers', '10', '--output-dir', 'b', '-q', '--resolution', 'monthly', cwd=tmp_path)
    assert a.returncode == b.returncode == 0
    files = sorted(p.name for p in (tmp_path / 'a').iterdir())
    assert files == sorted(p.name for p in (tmp_path / 'b').iterdir())
    assert all((tmp_path / 'a' / f).read_bytes() == (tmp_path / 'b' / f).read_bytes() for f in files)
