"Interval data (issue 14): monthly = exact interval sums, attack definitions on hand-computed days, readers agree, determinism."
import hashlib
from pathlib import Path
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, strategies as st
from ghostload_nb.interval_config import IntervalConfig, ATTACK_NAMES, block_bounds, interval_preset
from ghostload_nb.interval_theft import ATTACKS, apply_attack
from ghostload_nb.interval_io import run_context, write_block, write_interval_dataset, read_interval, TABLES

FULL = dict(anomaly_rate=0.1, attack_types={a: 1 for a in ATTACK_NAMES},
            lookalike_rates={'net_metering': .02, 'vacancy': .02, 'estimated_reads': .02},
            defect_rates={'comm_gap': 4, 'missing_day': 0.02, 'zero_read': 1, 'duplicate_read': 0.001, 'clock_shift': 0.5})

@pytest.fixture(scope='module')
def ds(tmp_path_factory):
    cfg = IntervalConfig(resolution='hourly', num_meters=1100, num_months=3, random_seed=5, block_readings=2**20, **FULL)   # 3 blocks of 480 meters
    folder = tmp_path_factory.mktemp('iv') / 'ds'
    return cfg, folder, write_interval_dataset(cfg, folder, workers=2)

def _sha(p): return hashlib.sha256(Path(p).read_bytes()).hexdigest()

# ---- monthly identity
def test_monthly_is_exact_sum_of_written_intervals(ds):
    cfg, folder, _ = ds
    r = pd.read_parquet(folder / 'meter_readings.parquet')
    wh = (r.kwh * 1000).round()
    assert (wh.dropna() == (r.kwh.dropna() * 1000)).all() or np.allclose(wh.dropna(), r.kwh.dropna() * 1000, rtol=0, atol=1e-6)
    r['wh'] = wh.fillna(0).astype('int64'); r['month'] = r.timestamp.dt.to_period('M')
    s = r.groupby(['meter_id', 'month'], observed=True).wh.sum()
    m = pd.read_parquet(folder / 'interval_monthly.parquet')
    m['month'] = m.month.dt.to_period('M'); m = m.set_index(['meter_id', 'month'])
    assert len(m) == 1100 * 3
    assert ((m.kwh * 1000).round().astype('int64') == s.reindex(m.index)).all()
    assert (m.n_missing == r.assign(miss=r.kwh.isna()).groupby(['meter_id', 'month'], observed=True).miss.sum().reindex(m.index)).all()

def test_truth_agrees_with_labels_and_readings(ds):
    cfg, folder, _ = ds
    t = pd.read_parquet(folder / 'interval_truth.parquet'); lab = pd.read_parquet(folder / 'interval_labels.parquet')
    thieves = set(lab.meter_id[lab.is_thief == 1]); theft_rows = t[t.is_theft == 1]
    assert set(theft_rows.meter_id.astype(str)) <= thieves and len(thieves) == 110
    per = theft_rows.groupby(theft_rows.meter_id.astype(str)).attack_type.agg(lambda s: set(s.astype(str)))
    want = lab.set_index('meter_id').attack_type
    assert all(v == {want[k]} for k, v in per.items())
    assert (t.attack_type[t.is_theft == 0].astype(str) == '').all()
    r = pd.read_parquet(folder / 'meter_readings.parquet').set_index(['meter_id', 'timestamp'])
    clean = t[(t.is_theft == 0) & (t.lookalike.astype(str) == '') & (t.defect.astype(str) == '')]
    assert len(clean) == 0                                           # every truth row says why it is there
    nulls = t[t.defect.astype(str).isin(['comm_gap', 'missing_day'])].set_index(['meter_id', 'timestamp'])
    assert r.kwh.reindex(nulls.index).isna().all()

# ---- attack definitions against hand-computed days
X = np.array([[[2., 4., 6., 8.]]])
CTX = {'steps_per_day': 4}

def test_h1_constant_factor(): np.testing.assert_array_equal(ATTACKS['h1'](X, {'alpha': np.array([0.25])}, None, CTX)[0], [[[.5, 1, 1.5, 2]]])
def test_h5_mean(): np.testing.assert_array_equal(ATTACKS['h5'](X, {}, None, CTX)[0], [[[5., 5, 5, 5]]])
def test_h6_reversed_day(): np.testing.assert_array_equal(ATTACKS['h6'](X, {}, None, CTX)[0], [[[8., 6, 4, 2]]])

def test_h2_zero_window():
    for seed in range(20):
        r, w = ATTACKS['h2'](X, {}, np.random.default_rng(seed), CTX)
        i = np.flatnonzero(w[0, 0])
        assert len(i) >= 1 and (np.diff(i) == 1).all()              # one contiguous window
        assert (r[w] == 0).all() and (r[~w] == X[~w]).all()

def test_h3_h4_ranges():
    r3, _ = ATTACKS['h3'](X, {}, np.random.default_rng(0), CTX)
    assert ((r3 / X >= 0.1) & (r3 / X <= 0.8)).all() and len(set((r3 / X).ravel())) == 4
    r4, _ = ATTACKS['h4'](X, {}, np.random.default_rng(0), CTX)
    assert ((r4 >= 0.5) & (r4 <= 4.0)).all()                         # gamma_t in [0.1, 0.8] x mean 5

def test_cap_subtract_and_night():
    c, _ = ATTACKS['fdi2_cap'](X, {}, np.random.default_rng(1), CTX)
    s, _ = ATTACKS['fdi3_subtract'](X, {}, np.random.default_rng(1), CTX)
    g = c.max()
    assert 0.2 * 8 <= g <= 0.8 * 8
    np.testing.assert_allclose(s, np.maximum(X - g, 0))
    p = {'alpha': np.array([0.1]), 'start_h': np.array([18.]), 'end_h': np.array([6.]), 'night_share': np.array([.4])}
    r, m = ATTACKS['night_bypass'](X, p, None, CTX)                  # steps at 0, 6, 12, 18 h
    np.testing.assert_allclose(r, [[[.2, 4, 6, .8]]]); assert m[0, 0].tolist() == [True, False, False, True]

def test_inactive_periods_untouched():
    cfg = IntervalConfig(resolution='daily', num_months=1)
    x = np.arange(1., 32.)[None, :]
    y, lab = apply_attack('h5', x, {}, None, cfg, np.array([[True, False, True, False, False]]))
    np.testing.assert_array_equal(y[0, 7:14], x[0, 7:14]); assert (y[0, :7] == 4).all() and lab[0].sum() == 14

# ---- readers agree
def test_readers_agree(ds):
    import dask.dataframe as dd
    import duckdb                             # a dev requirement: its absence fails this test, never skips it
    cfg, folder, _ = ds
    p = folder / 'meter_readings.parquet'
    a = read_interval(folder).to_pandas()
    b = pd.read_parquet(p)
    c = dd.read_parquet(p).compute()
    d = duckdb.sql(f"select meter_id, timestamp, kwh from read_parquet('{p}/*.parquet') order by meter_id, timestamp").df()
    n = cfg.num_meters * len(cfg.days) * 24
    assert len(a) == len(b) == len(c) == len(d) == n
    for other in (b, c.reset_index(drop=True), d):
        assert (other.meter_id.astype(str).to_numpy() == a.meter_id.astype(str).to_numpy()).all()
        assert (pd.to_datetime(other.timestamp).to_numpy() == a.timestamp.to_numpy()).all()
        np.testing.assert_array_equal(other.kwh.to_numpy(dtype=float), a.kwh.to_numpy(dtype=float))

# ---- determinism
def test_same_bytes_twice_and_any_block_subset(ds, tmp_path):
    cfg, folder, man = ds
    again = write_interval_dataset(cfg, tmp_path / 'again', workers=1)
    assert again['files'] == man['files']
    assert write_interval_dataset(cfg, tmp_path / 'dask', workers=2, engine='dask')['files'] == man['files']
    ctx = run_context(cfg)
    for name in TABLES: (tmp_path / 'one' / f"{name}.parquet").mkdir(parents=True)
    out = write_block(ctx, 2, tmp_path / 'one')                      # the last block alone
    for rel, (rows, h) in out.items():
        assert man['files'][rel] == {'rows': rows, 'sha256': h} and _sha(tmp_path / 'one' / rel) == h

def test_block_does_not_depend_on_run_size():
    from ghostload_nb.interval_load import block_load
    one = dict(resolution='daily', num_months=2, random_seed=3, block_readings=60 * 100,
               customer_classes={'residential': 1.0, 'commercial': 0.0, 'industrial': 0.0})
    a, b = IntervalConfig(num_meters=250, **one), IntervalConfig(num_meters=400, **one)
    assert block_bounds(a)[1] == block_bounds(b)[1] == 100
    np.testing.assert_array_equal(block_load(a, 1), block_load(b, 1))   # block 1 is the same whatever follows it

@given(st.sampled_from(['daily', 'hourly', '30min', '15min']), st.integers(1, 3), st.integers(0, 2**32))
def test_monthly_identity_any_resolution(res, months, seed):
    from ghostload_nb.interval_io import interval_block, monthly_wh, month_starts
    cfg = IntervalConfig(resolution=res, num_meters=7, num_months=months, random_seed=seed, **FULL)
    blk = interval_block(run_context(cfg), 0)
    w = blk.defects.wh
    mw = monthly_wh(cfg, w)
    edges = np.append(month_starts(cfg), w.shape[1])
    for j in range(len(edges) - 1):
        assert (mw[:, j] == w[:, edges[j]:edges[j + 1]].astype(np.int64).sum(1)).all()
    assert (w[blk.defects.missing] == 0).all()

def test_presets_and_bad_input():
    sg = interval_preset('sgcc_like')
    assert (sg.num_meters, len(sg.days), round(sg.anomaly_rate * sg.num_meters)) == (42372, 1035, 3615)
    for bad, field in ((dict(resolution='monthly'), 'resolution'), (dict(attack_types={'h9': 1}), 'attack_types'),
                       (dict(defect_rates={'gap': 1}), 'defect_rates'), (dict(num_meters=0), 'num_meters')):
        with pytest.raises(ValueError, match=field): IntervalConfig(**bad)
    with pytest.raises(ValueError, match="format='csv'"): write_interval_dataset(IntervalConfig(resolution='15min', num_meters=2000), '/tmp/never', csv=True)
    assert not Path('/tmp/never').exists()

def test_written_dataset_passes_its_checks(ds):
    from ghostload_nb.interval_validate import check_interval_dataset
    cfg, folder, _ = ds
    assert check_interval_dataset(folder) == []
