"`ghostload validate DIR` on generated, damaged and foreign datasets: exit 0/1/2, every failure listed."
import json, shutil
from pathlib import Path
import pandas as pd
import pytest
from ghostload_nb import validate

GEN = ['--num-transformers', 10, '--num-meters', 300, '--num-months', 4, '-q']

@pytest.fixture
def dataset(run_cli, tmp_path):
    r = run_cli('generate', *GEN, '--output-dir', tmp_path / 'ds')
    assert r.returncode == 0, r.stderr
    return tmp_path / 'ds'

def test_generated_dataset_is_valid(run_cli, dataset):
    r = run_cli('validate', dataset)
    assert r.returncode == 0, r.stdout
    assert r.stdout.startswith(f"{dataset}: valid (") and r.stderr == ''
    assert run_cli('validate', dataset, '-q').stdout == ''

def test_every_failure_is_listed(run_cli, dataset):
    m = pd.read_csv(dataset / 'meter_consumption.csv')
    m.loc[0, 'monthly_consumption_202402'] = float('inf')
    m.loc[1, 'lat'] = 95.0
    m.loc[2, 'meter_id'] = 'M2'
    m.to_csv(dataset / 'meter_consumption.csv', index=False)
    lab = pd.read_csv(dataset / 'anomaly_labels.csv')
    lab.loc[1, 'risk_band'] = 'Severe'
    lab.iloc[1:].to_csv(dataset / 'anomaly_labels.csv', index=False)    # one label row lost, one changed
    r = run_cli('validate', dataset)
    assert r.returncode == 1
    out = r.stdout
    for needle in ['FAIL checksums: meter_consumption.csv', 'FAIL checksums: anomaly_labels.csv',
                   "meter_id not of the form MTR_\\d{6,} (1 rows, e.g. ['M2'])",
                   'FAIL counts: anomaly_labels.csv: 22 rows, manifest.json says 23']:
        assert needle in out, (needle, out)
    # with the bad ID fixed, the value checks that depend on a sound schema run too
    m.loc[2, 'meter_id'] = 'MTR_000003'
    m.to_csv(dataset / 'meter_consumption.csv', index=False)
    out = run_cli('validate', dataset).stdout
    for needle in ['consumption values are not all finite', 'meter coordinates outside geo_bounds', 'lat outside ±90°',
                   'risk_band values outside High/Medium/Low', 'record count: 22 anomaly labels, expected 23']:
        assert needle in out, (needle, out)

def test_without_manifest_checks_what_it_can(run_cli, dataset, tmp_path):
    foreign = tmp_path / 'utility_export'
    foreign.mkdir()
    for f in ('transformers.csv', 'meter_consumption.csv', 'anomaly_labels.csv'): shutil.copy(dataset / f, foreign / f)
    r = run_cli('validate', foreign)
    assert r.returncode == 0, r.stdout
    assert 'checksums (no manifest.json)' in r.stdout and 'counts (no manifest.json)' in r.stdout
    m = pd.read_csv(foreign / 'meter_consumption.csv')
    m.loc[0, 'transformer_id'] = 'TX_0999'
    m.to_csv(foreign / 'meter_consumption.csv', index=False)
    r = run_cli('validate', foreign)
    assert r.returncode == 1 and "meters reference unknown transformers (e.g. ['TX_0999'])" in r.stdout

def test_unknown_extra_files_are_tolerated(run_cli, dataset):
    (dataset / 'README.txt').write_text('notes')
    pd.DataFrame({'x': [1]}).to_csv(dataset / 'something_else.csv', index=False)
    assert run_cli('validate', dataset).returncode == 0

def test_garbage_files_are_failures_not_crashes(run_cli, dataset):
    (dataset / 'meter_consumption.csv').write_bytes(b'\xff\xfe\x00garbage\x00\n\x01,\x02\n')
    (dataset / 'transformers.geojson').write_text('{"type": "FeatureCollection", "features": [{"nope": 1}]}')
    (dataset / 'manifest.json').write_text('{"config": {"num_meters": "many"}, "files": {}}')
    r = run_cli('validate', dataset)
    assert r.returncode == 1 and 'Traceback' not in r.stdout + r.stderr
    assert "manifest: manifest.json: invalid config (num_meters='many'" in r.stdout

@pytest.mark.parametrize('make', ['missing', 'file'])
def test_usage_errors_exit_2(run_cli, tmp_path, make):
    target = tmp_path / 'x'
    if make == 'file': target.write_text('not a folder')
    r = run_cli('validate', target)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and 'path=' in r.stderr and r.stdout == ''

def test_python_api(dataset):
    rep = validate(dataset)
    assert rep.ok and rep.failures == [] and 'checksums' in rep.passed
    (dataset / 'transformers.csv').write_text((dataset / 'transformers.csv').read_text() + 'TX_0011,FD_01,Tondo,14.5,121.0,50.0\n')
    rep = validate(dataset)
    assert not rep.ok and any('transformers.csv: 11 rows, manifest.json says 10' in f for f in rep.failures)
    with pytest.raises(ValueError, match='validation check'): rep.raise_if_invalid()
