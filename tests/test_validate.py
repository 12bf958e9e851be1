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

# ---- Parquet datasets (the streaming writer's --format parquet|both) ----
import pyarrow as pa
import pyarrow.parquet as pq
from ghostload_nb import GeneratorConfig
from ghostload_nb.stream import generate_dataset

PQ_CONFIG = dict(num_meters=70_000, num_transformers=700, num_months=3)   # > 65,536 meters: two parts per partitioned table
PART = 'meter_consumption.parquet/part-00001.parquet'

@pytest.fixture(scope='module')
def parquet_sets(tmp_path_factory):
    "One Parquet-only and one CSV+Parquet dataset, written once for the module (copy before damaging)."
    root = tmp_path_factory.mktemp('parquet_sets')
    cfg = GeneratorConfig(**PQ_CONFIG)
    return {fmt: generate_dataset(cfg, root / fmt, formats=fmt) for fmt in ('parquet', 'both')}

def copy_of(parquet_sets, fmt, tmp_path):
    return Path(shutil.copytree(parquet_sets[fmt], tmp_path / fmt))

def raise_one_value(part:Path, column:str, row:int, by:float):
    "Rewrite a Parquet part (same schema) with one value changed."
    t = pq.read_table(part)
    v = t[column].to_numpy().copy()
    v[row] += by
    pq.write_table(t.set_column(t.schema.get_field_index(column), column, pa.array(v)), part)

def test_cli_parquet_only_dataset_is_valid(run_cli, parquet_sets):
    d = parquet_sets['parquet']
    assert not (d / 'meter_consumption.csv').exists() and (d / PART).is_file()
    assert 'meter_consumption.parquet/part-00000.parquet' in json.loads((d / 'manifest.json').read_text())['files']
    r = run_cli('validate', d)
    assert r.returncode == 0 and r.stderr == '', r.stdout + r.stderr
    assert r.stdout.startswith(f"{d}: valid (16 checks passed)"), r.stdout
    assert 'formats (no table in both CSV and Parquet form)' in r.stdout

def test_cli_both_formats_dataset_is_valid(run_cli, parquet_sets):
    d = parquet_sets['both']
    r = run_cli('validate', d)
    assert r.returncode == 0 and r.stderr == '', r.stdout + r.stderr
    assert r.stdout.startswith(f"{d}: valid (17 checks passed)") and 'skipped' not in r.stdout, r.stdout

def test_cli_tampered_parquet_part_fails(run_cli, parquet_sets, tmp_path):
    d = copy_of(parquet_sets, 'both', tmp_path)
    raise_one_value(d / PART, 'monthly_consumption_202403', 11, 0.1)
    r = run_cli('validate', d)
    assert r.returncode == 1 and 'Traceback' not in r.stdout + r.stderr, r.stdout + r.stderr
    assert f"FAIL checksums: {PART}: " in r.stdout, r.stdout
    assert ("FAIL formats: meter_consumption: meter_consumption.csv and meter_consumption.parquet differ: "
            "column 'monthly_consumption_202403' differs in 1 rows (first at row 65547: ") in r.stdout, r.stdout

def test_cli_tampered_parquet_only_dataset_fails(run_cli, parquet_sets, tmp_path):
    d = copy_of(parquet_sets, 'parquet', tmp_path)
    raise_one_value(d / PART, 'monthly_consumption_202401', 0, 5.0)
    r = run_cli('validate', d)
    assert r.returncode == 1, r.stdout
    assert f"FAIL checksums: {PART}: " in r.stdout
    assert ('FAIL meter_month_labels: meter_month_labels.parquet: billed_kwh differs from meter_consumption.parquet '
            "for 1 meters (e.g. ['MTR_065537'])") in r.stdout, r.stdout

def test_tampered_csv_of_both_formats_is_caught_by_formats(parquet_sets, tmp_path):
    d = copy_of(parquet_sets, 'both', tmp_path)
    lab = pd.read_csv(d / 'anomaly_labels.csv')
    lab.loc[3, 'risk_band'] = 'Low' if lab.loc[3, 'risk_band'] != 'Low' else 'High'
    lab.to_csv(d / 'anomaly_labels.csv', index=False)
    fails = validate(d).failures
    assert [f for f in fails if f.startswith('formats:')] == [
        f"formats: anomaly_labels: anomaly_labels.csv and anomaly_labels.parquet differ: column 'risk_band' differs in 1 rows "
        f"(first at row 3: {lab.loc[3, 'risk_band']!r} vs {pd.read_parquet(d / 'anomaly_labels.parquet').risk_band[3]!r})"], fails

def test_unreadable_parquet_is_a_failure_not_a_crash(run_cli, parquet_sets, tmp_path):
    d = copy_of(parquet_sets, 'parquet', tmp_path)
    (d / PART).write_bytes(b'PAR1 this is not parquet')
    (d / 'transformers.parquet').write_bytes(b'')
    r = run_cli('validate', d)
    assert r.returncode == 1 and 'Traceback' not in r.stdout + r.stderr, r.stdout + r.stderr
    assert f"FAIL counts: {PART}: cannot be read as Parquet" in r.stdout, r.stdout
    assert "FAIL schema:transformers.csv: transformers.parquet: cannot be read as Parquet" in r.stdout, r.stdout
    assert "FAIL schema:meter_consumption.csv: meter_consumption.parquet: cannot be read as Parquet" in r.stdout, r.stdout

def test_parts_with_different_schemas_are_unreadable(parquet_sets, tmp_path):
    d = copy_of(parquet_sets, 'parquet', tmp_path)
    t = pq.read_table(d / PART)
    pq.write_table(t.set_column(t.schema.get_field_index('kVA'), 'kVA', pa.array(t['kVA'].to_numpy().astype(str))), d / PART)
    fails = validate(d).failures
    assert ("schema:meter_consumption.csv: meter_consumption.parquet: cannot be read as Parquet "
            "(part part-00001.parquet: columns or types differ from part-00000.parquet)") in fails, fails

def test_missing_core_table_names_both_forms(parquet_sets, tmp_path):
    d = copy_of(parquet_sets, 'parquet', tmp_path)
    shutil.rmtree(d / 'meter_consumption.parquet')
    fails = validate(d).failures
    assert 'files: meter_consumption: missing (neither meter_consumption.csv nor meter_consumption.parquet)' in fails, fails
    assert f'files: {PART}: listed in manifest.json but missing' in fails, fails

@pytest.mark.parametrize('name', ['../x', '../../etc/passwd', 'a/../../x', './transformers.csv', '/etc/passwd',
                                  'meter_consumption.parquet//part-00000.parquet', 'meter_consumption.parquet\\part-00000.parquet',
                                  'C:/x', '', '.', '..'])
def test_manifest_paths_outside_plain_relative_names_are_refused(dataset, name):
    man = json.loads((dataset / 'manifest.json').read_text())
    man['files'][name] = {'bytes': 1, 'sha256': '0' * 64}
    (dataset / 'manifest.json').write_text(json.dumps(man))
    rep = validate(dataset)
    assert [f for f in rep.failures if f.startswith('manifest:')] == [
        f"manifest: manifest.json: file name {name!r} is not a plain relative path ({_why(name)})"], rep.failures
    assert 'checksums (manifest.json is invalid)' in rep.skipped

def _why(name):
    if name == '': return 'it is empty'
    if '\\' in name: return 'it contains a backslash'
    if name.startswith('/') or name.startswith('C:'): return 'it is absolute'
    first = next(p for p in name.split('/') if p in ('', '.', '..'))
    return f"it has a {first!r} component"

def test_cli_manifest_traversal_exits_1(run_cli, dataset):
    man = json.loads((dataset / 'manifest.json').read_text())
    man['files']['../x'] = {'bytes': 1, 'sha256': '0' * 64}
    (dataset / 'manifest.json').write_text(json.dumps(man))
    r = run_cli('validate', dataset)
    assert r.returncode == 1 and "FAIL manifest: manifest.json: file name '../x' is not a plain relative path" in r.stdout, r.stdout

def test_manifest_with_subfolder_paths_is_accepted(dataset):
    "A manifest listing a file in a subfolder (as the streaming writer's parts) checks that file's checksum."
    sub = dataset / 'extra.parquet'; sub.mkdir()
    (sub / 'part-00000.parquet').write_bytes(b'abc')
    man = json.loads((dataset / 'manifest.json').read_text())
    man['files']['extra.parquet/part-00000.parquet'] = {'bytes': 3, 'sha256': '0' * 64}
    (dataset / 'manifest.json').write_text(json.dumps(man))
    rep = validate(dataset)
    assert rep.failures == ['checksums: extra.parquet/part-00000.parquet: SHA-256 differs from manifest.json (file changed or corrupted)'], rep.failures

def test_deleted_csv_of_both_formats_falls_back_to_parquet(parquet_sets, tmp_path):
    "The CSV gone, the checks read its Parquet twin; only the manifest notices the missing file, by its own name."
    d = copy_of(parquet_sets, 'both', tmp_path)
    (d / 'meter_consumption.csv').unlink()
    rep = validate(d)
    assert rep.failures == ['files: meter_consumption.csv: listed in manifest.json but missing'], rep.failures
    assert {'consistency', 'labels', 'meter_month_labels', 'geojson', 'formats'} <= set(rep.passed)

@pytest.mark.parametrize('fmt', ['parquet', 'both'])
def test_cli_generate_format_then_validate(run_cli, tmp_path, fmt):
    "End to end through the CLI on the metro_manila preset (onset months, look-alike events, energy balance)."
    out = tmp_path / fmt
    r = run_cli('generate', '--preset', 'metro_manila', '--num-meters', 3000, '--num-transformers', 40, '--num-months', 13,
                '--format', fmt, '--output-dir', out, '-q')
    assert r.returncode == 0, r.stderr
    assert (out / 'meter_events.parquet').is_file() and (out / 'meter_consumption.csv').exists() == (fmt == 'both')
    r = run_cli('validate', out)
    assert r.returncode == 0, r.stdout
    assert ('formats (' in r.stdout) == (fmt == 'parquet'), r.stdout    # skipped only when there is nothing to compare
