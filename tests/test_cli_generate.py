"End-to-end tests of `ghostload generate`: files read back with pandas and json, determinism, bad input."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
from cli_run import run_inprocess

FILES = {'transformers.csv', 'meter_consumption.csv', 'anomaly_labels.csv', 'transformers.geojson', 'generation_report.txt',
         'meter_month_labels.csv', 'meter_events.csv', 'transformer_energy.csv',
         'manifest.json', 'DATASET_CARD.md', 'datapackage.json'}

def read_dataset(d: Path):
    return (pd.read_csv(d / 'transformers.csv'), pd.read_csv(d / 'meter_consumption.csv'),
            pd.read_csv(d / 'anomaly_labels.csv'), json.loads((d / 'transformers.geojson').read_text()))

def test_default_run_writes_the_seed_contract(run_cli, tmp_path):
    r = run_cli('generate')
    assert r.returncode == 0, r.stderr
    out = tmp_path / 'generated_data'
    assert str(out) in r.stdout and 'meter_consumption.csv' in r.stdout
    assert {p.name for p in out.iterdir()} == FILES
    tx, m, lab, gj = read_dataset(out)
    assert list(tx.columns) == ['transformer_id', 'feeder_id', 'barangay', 'lat', 'lon', 'capacity_kVA']
    months = [f'monthly_consumption_2024{k:02d}' for k in range(1, 13)]
    assert list(m.columns) == ['meter_id', 'transformer_id', 'customer_class', 'barangay', 'lat', 'lon'] + months + ['kVA']
    assert list(lab.columns)[:4] == ['meter_id', 'anomaly_flag', 'risk_band', 'anomaly_type']  # the seed's four first
    assert len(tx) == 50 and len(m) == 2000 and len(lab) == 150
    assert tx.transformer_id.str.fullmatch(r'TX_\d{4}').all() and tx.feeder_id.str.fullmatch(r'FD_\d{2}').all()
    assert m.meter_id.str.fullmatch(r'MTR_\d{6}').all() and m.meter_id.is_unique
    assert m.transformer_id.isin(tx.transformer_id).all() and set(m.transformer_id) == set(tx.transformer_id)
    assert m.customer_class.value_counts().to_dict() == {'residential': 1400, 'commercial': 400, 'industrial': 200}
    assert (m[months].to_numpy() >= 0).all() and np.isfinite(m[months].to_numpy()).all()
    assert m.lat.between(14.4, 14.7).all() and m.lon.between(120.9, 121.2).all()
    assert (lab.anomaly_flag == 1).all() and set(lab.risk_band) <= {'High', 'Medium', 'Low'}
    assert lab.meter_id.isin(m.meter_id).all()
    # the barangay of a meter is its transformer's
    merged = m.merge(tx, on='transformer_id', suffixes=('', '_tx'))
    assert (merged.barangay == merged.barangay_tx).all()
    # GeoJSON: RFC 7946 [lon, lat], complete meter lists
    assert gj['type'] == 'FeatureCollection' and len(gj['features']) == 50
    by_id = tx.set_index('transformer_id')
    for f in gj['features']:
        p = f['properties']
        lon, lat = f['geometry']['coordinates']
        assert f['geometry']['type'] == 'Point'
        assert (lon, lat) == pytest.approx((by_id.lon[p['transformer_id']], by_id.lat[p['transformer_id']]))
        assert p['num_meters'] == len(p['meter_ids'])
        assert sorted(p['meter_ids']) == sorted(m.meter_id[m.transformer_id == p['transformer_id']])
    report = (out / 'generation_report.txt').read_text()
    assert 'meters: 2000' in report and 'Risk bands' in report

def test_seed_custom_flags(run_cli, tmp_path):
    r = run_cli('generate', '--num-transformers', 100, '--num-meters', 5000, '--num-months', 24, '--anomaly-rate', 0.08,
                '--seed', 123, '--output-dir', tmp_path / 'custom_output', '--start-month', '2023-11')
    assert r.returncode == 0, r.stderr
    tx, m, lab, gj = read_dataset(tmp_path / 'custom_output')
    assert (len(tx), len(m), len(lab)) == (100, 5000, 400)
    cols = [c for c in m.columns if c.startswith('monthly_consumption_')]
    assert cols[:3] == ['monthly_consumption_202311', 'monthly_consumption_202312', 'monthly_consumption_202401']
    assert len(cols) == 24 and cols[-1] == 'monthly_consumption_202510'

def test_same_config_byte_identical_different_seed_differs(run_cli, tmp_path):
    for name, seed in [('a', 7), ('b', 7), ('c', 8)]:
        assert run_cli('generate', '--seed', seed, '--output-dir', tmp_path / name, '-q').returncode == 0
    for f in FILES:
        assert (tmp_path / 'a' / f).read_bytes() == (tmp_path / 'b' / f).read_bytes(), f
    assert (tmp_path / 'a' / 'meter_consumption.csv').read_bytes() != (tmp_path / 'c' / 'meter_consumption.csv').read_bytes()

def test_python_dash_m_is_the_same_command(tmp_path):
    r = subprocess.run([sys.executable, '-m', 'ghostload_nb', 'generate', '--num-meters', '100', '--num-transformers', '5',
                        '--output-dir', str(tmp_path / 'x')], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(tmp_path / 'x' / 'meter_consumption.csv')) == 100

@pytest.mark.parametrize('args, needle, mode', [
    (['--anomaly-rate', '1.5'], '--anomaly-rate', 'subprocess'),
    (['--num-meters', '0'], '--num-meters', 'in-process'),
    (['--num-meters', 'lots'], "'lots'", 'in-process'),
    (['--start-month', '2024-13'], "'2024-13'", 'in-process'),
    (['--start-month', 'yesterday'], "'yesterday'", 'in-process'),
    (['--num-months', '-3'], '--num-months', 'in-process'),
    (['--seed', '-1'], '--seed', 'in-process'),
    (['--anomaly-rate', 'nan'], 'anomaly_rate=nan', 'in-process'),
])
def test_bad_flags_exit_2_one_line_nothing_written(run_cli, tmp_path, args, needle, mode):
    argv = ('generate', *args, '--output-dir', tmp_path / 'out')
    r = run_cli(*argv) if mode == 'subprocess' else run_inprocess(*argv, cwd=tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], r.stderr
    assert 'Traceback' not in r.stderr
    assert not (tmp_path / 'out').exists() and list(tmp_path.iterdir()) == []

def test_help_lists_seed_flags():
    r = run_inprocess('generate', '--help')
    assert r.returncode == 0
    for flag in ['--num-transformers', '--num-meters', '--num-months', '--anomaly-rate', '--seed', '--output-dir', '--start-month']:
        assert flag in r.stdout
