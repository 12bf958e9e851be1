"Interval runs wired to the product (issue 14): GeneratorConfig.resolution, one atomic dataset folder, the validator's interval check, monthly unchanged."
import hashlib, json
from pathlib import Path
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.units import FieldError
from ghostload_nb.stream import generate_dataset
from ghostload_nb.validation import validate
from ghostload_nb.interval_config import INTERVAL_PRESETS
from ghostload_nb.interval_run import generate_interval_dataset, interval_config_for, validate_interval

def _hashes(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).rglob('*')) if p.is_file()}

# ---- configuration
@pytest.mark.parametrize('res', ['monthly', 'daily', 'hourly', '30min', '15min'])
def test_resolution_accepted_and_round_trips(res):
    c = GeneratorConfig(num_meters=40, resolution=res)
    assert GeneratorConfig.from_dict(c.to_dict()) == c
    assert GeneratorConfig.from_json(c.to_json()).resolution == res
    assert ('resolution' in c.to_dict()) == (res != 'monthly')

@pytest.mark.parametrize('bad', ['weekly', 'Hourly', '', 60, None, ['daily']])
def test_resolution_refused_naming_the_field(bad):
    with pytest.raises(FieldError, match=r"^resolution="):
        GeneratorConfig(resolution=bad)

def test_from_dict_refuses_a_bad_resolution():
    with pytest.raises(ValueError, match="resolution='1min'"):
        GeneratorConfig.from_dict({**GeneratorConfig().to_dict(), 'resolution': '1min'})

def test_interval_config_takes_run_fields_from_the_config_and_knobs_from_the_preset():
    c = GeneratorConfig(num_meters=77, num_months=5, start_month='2023-03', random_seed=9, anomaly_rate=0.2, resolution='daily')
    i = interval_config_for(c)
    assert (i.resolution, i.num_meters, i.num_months, i.start_month, i.random_seed, i.anomaly_rate) == ('daily', 77, 5, '2023-03', 9, 0.2)
    assert i.attack_types == INTERVAL_PRESETS['sgcc_like']['attack_types'] and i.defect_rates == INTERVAL_PRESETS['sgcc_like']['defect_rates']
    assert interval_config_for(c.__class__(resolution='30min')).attack_types == {f'h{k}': 1.0 for k in range(1, 7)}
    with pytest.raises(ValueError, match="resolution='monthly'"): interval_config_for(GeneratorConfig())

# ---- monthly unchanged
def test_monthly_resolution_writes_the_same_bytes(tmp_path):
    kw = dict(num_meters=300, num_transformers=12, num_months=3, random_seed=11)
    a = generate_dataset(GeneratorConfig(**kw), tmp_path / 'a', workers=1)
    b = generate_dataset(GeneratorConfig(**kw, resolution='monthly'), tmp_path / 'b', workers=1)
    ha, hb = _hashes(a), _hashes(b)
    assert ha == hb and 'meter_consumption.csv' in ha
    assert 'resolution' not in json.loads((a / 'manifest.json').read_text())['config']
    assert validate(a).ok and validate(a).passed == validate(b).passed and 'interval' not in validate(a).passed

# ---- an interval dataset: written, valid, read back, tampered
@pytest.fixture(scope='module')
def hourly(tmp_path_factory):
    d = tmp_path_factory.mktemp('run')
    cfg = GeneratorConfig(num_meters=150, num_months=2, random_seed=4, anomaly_rate=0.1, resolution='hourly')
    return cfg, generate_interval_dataset(cfg, d / 'h', workers=2)

def test_one_folder_no_leftovers(hourly):
    _, out = hourly
    assert sorted(p.name for p in out.parent.iterdir()) == ['h']
    assert {p.name for p in out.iterdir()} == {'generation_report.txt', 'interval_manifest.json', 'meter_readings.parquet',
                                               'interval_truth.parquet', 'interval_monthly.parquet', 'interval_labels.parquet',
                                               'interval_report.txt', 'manifest.json', 'DATASET_CARD.md', 'datapackage.json',
                                               'transformers.csv', 'transformers.geojson', 'transformer_energy.csv', 'meter_consumption.csv',
                                               'anomaly_labels.csv', 'meter_events.csv', 'meter_month_labels.csv'}

def test_validates(hourly):
    rep = validate_interval(hourly[1])
    assert rep.ok, rep.summary()
    assert 'interval' in rep.passed and 'checksums' in rep.passed and rep.skipped == []

def test_full_validate_runs_the_interval_check(hourly):
    rep = validate(hourly[1])
    assert 'interval' in rep.passed
    assert not any(f.startswith('interval:') for f in rep.failures)

def test_monthly_equals_interval_sums_read_with_pandas(hourly):
    cfg, out = hourly
    r = pd.read_parquet(out / 'meter_readings.parquet')
    assert len(r) == 150 * (31 + 29) * 24                                   # January and February 2024, hourly
    wh = np.rint(r.kwh.fillna(0) * 1000).astype('int64')
    s = wh.groupby([r.meter_id.astype(str), r.timestamp.dt.strftime('%Y-%m')]).sum()
    m = pd.read_parquet(out / 'interval_monthly.parquet')
    got = pd.Series(np.rint(m.kwh.to_numpy() * 1000).astype('int64'), index=pd.MultiIndex.from_arrays([m.meter_id.astype(str), m.month.dt.strftime('%Y-%m')]))
    assert len(got) == 150 * 2
    assert (got == s.reindex(got.index)).all()

def test_truth_labels_match_the_config(hourly):
    cfg, out = hourly
    lab = pd.read_parquet(out / 'interval_labels.parquet')
    assert len(lab) == 150 and int(lab.is_thief.sum()) == 15
    t = pd.read_parquet(out / 'interval_truth.parquet')
    thieves = set(lab.meter_id.astype(str)[lab.is_thief == 1])
    assert set(t.meter_id.astype(str)[t.is_theft == 1]) <= thieves

def test_same_bytes_for_workers_and_engines(hourly, tmp_path):
    cfg, out = hourly
    b = generate_interval_dataset(cfg, tmp_path / 'd', workers=1, engine='dask')
    ha, hb = _hashes(out), _hashes(b)
    assert ha == hb

def test_tampered_interval_fails_naming_it(hourly, tmp_path):
    import shutil
    d = tmp_path / 't'; shutil.copytree(hourly[1], d)
    part = d / 'meter_readings.parquet' / 'part-00000.parquet'
    t = pq.read_table(part).to_pandas()
    i = int(np.flatnonzero(t.kwh.notna().to_numpy())[100])
    t.loc[i, 'kwh'] = t.kwh[i] + 0.25
    t.to_parquet(part, index=False)
    rep = validate_interval(d)
    assert not rep.ok
    msgs = '\n'.join(rep.failures)
    assert 'interval: meter_readings.parquet/part-00000.parquet: sha256 differs' in msgs
    assert 'interval: interval_monthly.parquet/part-00000.parquet: kwh is not the sum' in msgs

def test_overwrite_and_bad_input_write_nothing(hourly, tmp_path):
    cfg, out = hourly
    with pytest.raises(ValueError, match='overwrite'): generate_interval_dataset(cfg, out)
    with pytest.raises(ValueError, match="resolution='monthly'"): generate_interval_dataset(GeneratorConfig(), tmp_path / 'm')
    with pytest.raises(ValueError, match="format='csv'"):
        generate_interval_dataset(GeneratorConfig(num_meters=10**6, resolution='15min'), tmp_path / 'big', formats='csv')
    with pytest.raises(ValueError, match='workers='): generate_interval_dataset(cfg, tmp_path / 'w', workers=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    again = generate_interval_dataset(cfg, out, overwrite=True)                # the report makes it a ghostload dataset
    assert validate_interval(again).ok

def test_wide_monthly_view_matches_the_long_table(hourly):
    from ghostload_nb.interval_run import interval_monthly_wide
    cfg, out = hourly
    w = interval_monthly_wide(out).set_index('meter_id')
    m = pd.read_parquet(out / 'interval_monthly.parquet')
    assert list(w.columns) == ['customer_class', 'is_thief', 'attack_type', 'monthly_consumption_202401', 'monthly_consumption_202402']
    feb = m[m.month == pd.Timestamp('2024-02-01')].set_index('meter_id').kwh
    assert (w.monthly_consumption_202402.reindex(feb.index.astype(str)).to_numpy() == feb.to_numpy()).all()
    assert int(w.is_thief.sum()) == 15
