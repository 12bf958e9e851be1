"""An interval dataset also holds the seed's monthly dataset of the same meters (issue 14): monthly bills that are the
exact sums of the interval readings, as read back by pandas, pyarrow and DuckDB; labels that agree; the monthly tools
(`load_dataset`, `ghostload validate`, `evaluate`, `map`) work on it; same bytes for any worker count and engine."""
import hashlib, shutil
from pathlib import Path
import numpy as np
import pandas as pd
import pyarrow.dataset as pads
import pytest
from cli_run import run_inprocess
from ghostload_nb import validate, load_dataset
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.stream import generate_dataset
from ghostload_nb.interval_run import generate_interval_dataset

RUNS = {'daily': ('300', '4'), 'hourly': ('150', '2'), '30min': ('120', '2')}   # meters, months

@pytest.fixture(scope='module', params=list(RUNS))
def run(request, tmp_path_factory):
    "A dataset made through the CLI at each resolution: (resolution, folder)."
    res, (n, months) = request.param, RUNS[request.param]
    d = tmp_path_factory.mktemp(res)
    r = run_inprocess('generate', '--resolution', res, '--num-meters', n, '--num-months', months, '--num-transformers', '9',
                      '--seed', '21', '--anomaly-rate', '0.1', '--output-dir', 'ds', '-q', cwd=d)
    assert r.returncode == 0, r.stderr
    return res, d / 'ds'

def _readings_wh(folder):
    "Whole Wh of every reading (missing = 0), summed per meter and calendar month by pyarrow + numpy: {(meter, 'YYYYMM'): Wh}."
    t = pads.dataset(Path(folder) / 'meter_readings.parquet', format='parquet').to_table(columns=['meter_id', 'timestamp', 'kwh'])
    wh = np.rint(t['kwh'].fill_null(0).to_numpy() * 1000).astype(np.int64)
    meter = t['meter_id'].cast('string').to_numpy(zero_copy_only=False)
    month = t['timestamp'].to_numpy().astype('datetime64[M]').astype(str)
    s = pd.Series(wh).groupby([meter, np.char.replace(month, '-', '')]).sum()
    return s

def _cells(folder):
    "meter_consumption.csv read by pandas, long: (meter, 'YYYYMM') -> the cell as read."
    mc = pd.read_csv(Path(folder) / 'meter_consumption.csv').set_index('meter_id')
    cols = [c for c in mc.columns if c.startswith('monthly_consumption_')]
    long = mc[cols].rename(columns=lambda c: c[-6:]).stack()
    return mc, long

def test_monthly_cells_are_the_interval_sums_exactly(run):
    res, out = run
    mc, cells = _cells(out)
    n, months = (int(x) for x in RUNS[res])
    assert len(mc) == n and len(cells) == n * months
    wh = _readings_wh(out).reindex(cells.index)
    assert wh.notna().all()
    assert (cells.to_numpy() == wh.to_numpy() / 1000).all()                         # the double read back IS Wh / 1000
    assert (np.rint(cells.to_numpy() * 1000).astype(np.int64) == wh.to_numpy()).all()
    assert (cells > 0).any() and (cells.to_numpy() * 1000 % 100 != 0).any()          # 3 decimals in use, not 0.1 kWh
    if res == 'daily':                                    # sgcc_like's missing days: null readings count as 0 in the bill
        assert pads.dataset(out / 'meter_readings.parquet', format='parquet').to_table(columns=['kwh'])['kwh'].null_count > 0

def test_duckdb_decimal_sums_equal_the_cells(tmp_path_factory):
    duckdb = pytest.importorskip('duckdb')
    d = tmp_path_factory.mktemp('duck')
    assert run_inprocess('generate', '--resolution', 'hourly', '--num-meters', '90', '--num-months', '2', '--num-transformers', '5',
                         '--seed', '4', '--output-dir', 'ds', '-q', cwd=d).returncode == 0
    out = d / 'ds'
    con = duckdb.connect()
    sums = con.execute(f"""SELECT CAST(meter_id AS VARCHAR) AS meter_id, strftime(timestamp, '%Y%m') AS ym,
                                  SUM(CAST(COALESCE(kwh, 0) AS DECIMAL(18,3))) AS kwh
                           FROM read_parquet('{out}/meter_readings.parquet/*.parquet') GROUP BY ALL""").df()
    cells = con.execute(f"""SELECT meter_id, '202401' AS ym, CAST(monthly_consumption_202401 AS DECIMAL(18,3)) AS kwh FROM read_csv_auto('{out}/meter_consumption.csv')
                            UNION ALL
                            SELECT meter_id, '202402', CAST(monthly_consumption_202402 AS DECIMAL(18,3)) FROM read_csv_auto('{out}/meter_consumption.csv')""").df()
    j = cells.merge(sums, on=['meter_id', 'ym'], suffixes=('_cell', '_sum'), validate='one_to_one')
    assert len(j) == 180
    assert (j.kwh_cell == j.kwh_sum).all()

def test_labels_agree_with_the_interval_truth(run):
    res, out = run
    il = pd.read_parquet(out / 'interval_labels.parquet')
    lab = pd.read_csv(out / 'anomaly_labels.csv')
    thieves = il[il.is_thief == 1]
    assert sorted(lab.meter_id) == sorted(thieves.meter_id.astype(str))
    assert dict(zip(lab.meter_id, lab.anomaly_type)) == dict(zip(thieves.meter_id.astype(str), thieves.attack_type.astype(str)))
    assert set(lab.risk_band) <= {'High', 'Medium', 'Low'} and (lab.anomaly_flag == 1).all()
    onset = thieves.set_index(thieves.meter_id.astype(str)).onset.dt.strftime('%Y-%m')
    assert (lab.set_index('meter_id').onset_month == onset.reindex(lab.meter_id).to_numpy()).all()
    mc, cells = _cells(out)
    billed = cells.groupby(level=0).sum()
    assert np.allclose(lab.billed_kwh, billed.reindex(lab.meter_id).to_numpy(), atol=1e-6)
    assert np.allclose(lab.unbilled_kwh, lab.true_kwh - lab.billed_kwh, atol=1e-6)
    mml = pd.read_csv(out / 'meter_month_labels.csv', dtype={'month': str})
    key = mml.meter_id + mml.month.str.replace('-', '')
    assert (mml.billed_kwh.to_numpy() == pd.Series(cells.to_numpy(), index=[m + ym for m, ym in cells.index]).reindex(key).to_numpy()).all()
    assert set(mml.meter_id[mml.is_theft == 1]) <= set(lab.meter_id)
    ev = pd.read_csv(out / 'meter_events.csv')
    assert set(ev.meter_id) <= set(il.meter_id.astype(str)[il.lookalike.astype(str) != ''])

def test_the_grid_and_places_are_the_monthly_runs(tmp_path):
    kw = dict(num_meters=260, num_transformers=9, num_months=2, random_seed=8, anomaly_rate=0.05)
    iv = generate_interval_dataset(GeneratorConfig(**kw, resolution='hourly'), tmp_path / 'iv')
    mo = generate_dataset(GeneratorConfig(**kw), tmp_path / 'mo', workers=1)
    a, b = pd.read_csv(iv / 'meter_consumption.csv'), pd.read_csv(mo / 'meter_consumption.csv')
    assert (a[['meter_id', 'transformer_id', 'barangay', 'lat', 'lon']] == b[['meter_id', 'transformer_id', 'barangay', 'lat', 'lon']]).all().all()
    ta, tb = pd.read_csv(iv / 'transformers.csv'), pd.read_csv(mo / 'transformers.csv')
    assert (ta.drop(columns='capacity_kVA') == tb.drop(columns='capacity_kVA')).all().all()

def test_transformer_energy_sums_its_meters(run):
    _, out = run
    mc, cells = _cells(out)
    te = pd.read_csv(out / 'transformer_energy.csv', dtype={'month': str})
    cols = [c for c in mc.columns if c.startswith('monthly_consumption_')]
    by_tx = mc.groupby('transformer_id')[cols].sum().rename(columns=lambda c: f"{c[-6:-2]}-{c[-2:]}").stack()
    want = by_tx.reindex(pd.MultiIndex.from_arrays([te.transformer_id, te.month])).fillna(0).to_numpy()
    assert np.abs(te.billed_kwh.to_numpy() - want).max() <= 0.05 + 1e-9
    assert np.allclose(te.delivered_kwh, te.metered_true_kwh + te.unmetered_kwh + te.technical_loss_kwh, atol=1e-6)
    assert (te.num_meters.groupby(te.transformer_id).first().sum()) == len(mc)

def test_validate_passes_and_the_python_api_runs_the_interval_check(run):
    _, out = run
    v = run_inprocess('validate', out)
    assert v.returncode == 0, v.stdout
    rep = validate(out)                                   # the plain API: no interval module imported by the caller
    assert rep.ok and 'interval' in rep.passed and 'transformer_energy' in rep.passed and 'meter_month_labels' in rep.passed, rep.summary()

def _copy(out, tmp_path):
    d = tmp_path / 'edited'; shutil.copytree(out, d); return d

def test_validate_fails_on_one_edited_monthly_cell(run, tmp_path):
    _, out = run
    d = _copy(out, tmp_path)
    text = (d / 'meter_consumption.csv').read_text().splitlines()
    row = text[5].split(',')
    mid, col = row[0], text[0].split(',').index([c for c in text[0].split(',') if c.startswith('monthly_')][0])
    row[col] = repr(float(row[col]) + 0.001)
    text[5] = ','.join(row)
    (d / 'meter_consumption.csv').write_text('\n'.join(text) + '\n')
    v = run_inprocess('validate', d)
    assert v.returncode == 1
    assert f"interval: meter_consumption.csv: {text[0].split(',')[col]} of {mid} is" in v.stdout, v.stdout
    assert not validate(d).ok

def test_validate_fails_on_one_edited_reading(run, tmp_path):
    _, out = run
    d = _copy(out, tmp_path)
    part = d / 'meter_readings.parquet' / 'part-00000.parquet'
    t = pd.read_parquet(part)
    i = int(np.flatnonzero(t.kwh.notna().to_numpy())[3 * len(t) // 4])
    t.loc[i, 'kwh'] = t.kwh[i] + 0.002
    t.to_parquet(part, index=False)
    v = run_inprocess('validate', d)
    assert v.returncode == 1
    assert f"meter_consumption.csv: " in v.stdout and f" of {t.meter_id.astype(str)[i]} is " in v.stdout, v.stdout
    assert 'meter_readings.parquet/part-00000.parquet' in v.stdout

def test_validate_fails_on_a_relabelled_thief(run, tmp_path):
    _, out = run
    d = _copy(out, tmp_path)
    lab = pd.read_csv(d / 'anomaly_labels.csv')
    lab.loc[0, 'anomaly_type'] = 'h6' if lab.anomaly_type[0] != 'h6' else 'h1'
    lab.to_csv(d / 'anomaly_labels.csv', index=False)
    rep = validate(d)
    assert any(f.startswith(f"interval: anomaly_labels.csv: anomaly_type of {lab.meter_id[0]}") for f in rep.failures), rep.summary()

def test_monthly_tools_work_on_it(run, tmp_path):
    res, out = run
    ds = load_dataset(out)
    assert len(ds.meters) == int(RUNS[res][0]) and len(ds.labels) == int(0.1 * int(RUNS[res][0]) + 0.5)
    m = run_inprocess('map', out, '-o', tmp_path / 'map.html', '-q')
    assert m.returncode == 0 and (tmp_path / 'map.html').stat().st_size > 1000, m.stderr
    if res == 'daily':                                    # 4 months: the monthly detectors' onset feature needs them
        e = run_inprocess('evaluate', out, '--json', tmp_path / 'm.json')
        assert e.returncode == 0, e.stderr
        assert 'monthly detectors on meter_consumption.csv' in e.stdout and 'isolation_forest' in e.stdout
        import json
        j = json.loads((tmp_path / 'm.json').read_text())
        assert set(j['detectors']) == {'isolation_forest', 'hgb'} and 'engineered_iforest' in j['monthly_detectors']

def _hashes(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).rglob('*')) if p.is_file()}

def test_same_bytes_for_workers_and_dask(tmp_path):
    cfg = GeneratorConfig(num_meters=1000, num_transformers=11, num_months=6, random_seed=13, anomaly_rate=0.08, resolution='30min')
    a = generate_interval_dataset(cfg, tmp_path / 'a', workers=1)
    b = generate_interval_dataset(cfg, tmp_path / 'b', workers=3)
    c = generate_interval_dataset(cfg, tmp_path / 'c', workers=2, engine='dask')
    ha = _hashes(a)
    assert len([k for k in ha if k.startswith('meter_readings.parquet/')]) > 1        # several blocks, so order matters
    assert {'meter_consumption.csv', 'transformer_energy.csv', 'manifest.json', 'meter_month_labels.csv'} <= set(ha)
    assert ha == _hashes(b) == _hashes(c)
    assert validate(a).ok

def test_validate_fails_on_an_edited_month_label(run, tmp_path):
    _, out = run
    d = _copy(out, tmp_path)
    mml = pd.read_csv(d / 'meter_month_labels.csv', dtype={'month': str})
    mml.loc[7, 'true_kwh'] = mml.true_kwh[7] + 0.001
    mml.to_csv(d / 'meter_month_labels.csv', index=False)
    v = run_inprocess('validate', d)
    assert v.returncode == 1
    assert f"interval: meter_month_labels.csv: true_kwh of {mml.meter_id[7]} in {mml.month[7]} is" in v.stdout, v.stdout

def test_manifest_regenerates_the_same_bytes_and_promises_no_empty_tables(tmp_path):
    r = run_inprocess('generate', '--preset', 'sgcc_like', '--resolution', 'daily', '--num-meters', '400', '--num-months', '3',
                      '--output-dir', 'a', '-q', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import json
    cfg = json.loads((tmp_path / 'a' / 'manifest.json').read_text())['config']
    assert cfg['resolution'] == 'daily' and not cfg.get('defect_rates') and not cfg.get('tagging_error_rate')   # monthly-only knobs off
    assert not (tmp_path / 'a' / 'meter_defects.csv').exists() and not (tmp_path / 'a' / 'meter_tagging.csv').exists()
    r = run_inprocess('generate', '--config', tmp_path / 'a' / 'manifest.json', '--output-dir', 'b', '-q', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert _hashes(tmp_path / 'a') == _hashes(tmp_path / 'b')

from hypothesis import given, settings, strategies as st, HealthCheck

@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(res=st.sampled_from(['daily', 'hourly', '30min', '15min']), n=st.integers(1, 60), months=st.integers(1, 2),
       tx=st.integers(1, 12), seed=st.integers(0, 2**31), rate=st.sampled_from([0.0, 0.1, 0.5]))
def test_any_small_run_bills_its_interval_sums_and_validates(tmp_path_factory, res, n, months, tx, seed, rate):
    out = generate_interval_dataset(GeneratorConfig(num_meters=n, num_transformers=tx, num_months=months, random_seed=seed,
                                                    anomaly_rate=rate, resolution=res), tmp_path_factory.mktemp('p') / 'ds')
    _, cells = _cells(out)
    assert len(cells) == n * months
    assert (cells.to_numpy() == _readings_wh(out).reindex(cells.index).to_numpy() / 1000).all()
    assert len(pd.read_csv(out / 'anomaly_labels.csv')) == int(rate * n + 0.5)
    rep = validate(out)
    assert rep.ok, rep.summary()
