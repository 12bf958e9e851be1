"Properties of the billing defects (ghostload_nb.defects) that hold for any series and any rates."
import numpy as np
import pytest
from hypothesis import given, strategies as st
from ghostload_nb.defects import apply_defects, carry_missed, defect_table, check_defect_rates, REALISTIC_DEFECT_RATES, DEFECT_KINDS

series = st.tuples(st.integers(1, 40), st.integers(2, 30), st.integers(0, 2**32 - 1))

@given(series, st.floats(0, 0.5))
def test_missed_reads_bill_the_energy_later(shape, p):
    n, T, seed = shape
    rng = np.random.default_rng(seed)
    obs = rng.lognormal(5, 1, (n, T))
    miss = rng.random((n, T)) < p
    out = carry_missed(obs, miss)
    assert (np.isnan(out) == miss).all()
    # energy is conserved up to the last read; after it, it is billed after the window
    last = np.where(~miss, np.arange(T), -1).max(1)
    for i in range(n):
        np.testing.assert_allclose(np.nansum(out[i]), obs[i, :last[i] + 1].sum(), rtol=1e-9)

@given(series)
def test_defects_are_labelled_and_bounded(shape):
    n, T, seed = shape
    rng = np.random.default_rng(seed)
    true = rng.lognormal(5, 0.5, (n, T))
    r = apply_defects(true, true, np.zeros(n, np.int64), np.array([200.0, 2000.0]), REALISTIC_DEFECT_RATES, np.random.default_rng(seed + 1))
    assert set(r.masks) <= set(DEFECT_KINDS)
    labelled = np.zeros((n, T), bool)
    for m in r.masks.values(): labelled |= m
    # a meter-month whose record differs from the meter's registration is labelled, or follows a missed read / estimate
    changed = ~np.isclose(np.nan_to_num(r.observed_kwh, nan=-1.0), true)
    after = np.zeros_like(labelled); after[:, 1:] = labelled[:, :-1]
    carried = np.maximum.accumulate(np.where(labelled, 1, 0), 1) > 0
    assert not (changed & ~labelled & ~after & ~carried).any()
    assert (r.observed_kwh[np.isfinite(r.observed_kwh)] >= 0).all() and (r.true_kwh >= 0).all()

def test_no_rates_no_change():
    x = np.random.default_rng(0).lognormal(5, 1, (50, 12))
    r = apply_defects(x, x, np.zeros(50, np.int64), np.array([1.0]), {}, np.random.default_rng(1))
    np.testing.assert_array_equal(r.observed_kwh, x); assert r.masks == {}

def test_same_stream_same_defects():
    x = np.random.default_rng(0).lognormal(5, 1, (500, 24))
    a, b = (apply_defects(x, x, np.zeros(500, np.int64), np.array([1.0]), REALISTIC_DEFECT_RATES, np.random.default_rng(9)) for _ in range(2))
    np.testing.assert_array_equal(a.observed_kwh, b.observed_kwh)
    ids = np.array([f'M{i}' for i in range(500)])
    months = [f'2024-{m:02d}' for m in range(1, 13)] + [f'2025-{m:02d}' for m in range(1, 13)]
    assert defect_table(ids, a.masks, months).equals(defect_table(ids, b.masks, months))

@pytest.mark.parametrize('bad, msg', [({'x': 0.1}, "defect_rates['x']: unknown"), ({'missing': -0.1}, "defect_rates['missing']=-0.1"),
                                      ({'missing': True}, "defect_rates['missing']=True"), ([], "defect_rates=[]")])
def test_bad_rates(bad, msg):
    with pytest.raises(ValueError, match=msg.replace('[', r'\[').replace(']', r'\]')): check_defect_rates(bad)


# Months without a read are EMPTY cells (issue 13), as real billing extracts and SGCC have them, never 0.
import hashlib, shutil
from pathlib import Path
import pandas as pd
import pyarrow.parquet as pq
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline, validate, load_dataset
from ghostload_nb.pipeline import save_dataset
from ghostload_nb.stream import generate_dataset
from ghostload_nb.dataset import impute_reads
from ghostload_nb.features import billed_matrix
from ghostload_nb.defects import NO_READ_KINDS

@pytest.fixture(scope='module')
def unread(tmp_path_factory):
    "A metro_manila run with its realistic defects, streamed (CSV + Parquet) and written from memory (CSV)."
    cfg = GeneratorConfig.from_preset('metro_manila', num_meters=1500, num_transformers=40, num_months=12, random_seed=11)
    d = tmp_path_factory.mktemp('unread')
    return generate_dataset(cfg, d / 'streamed', formats='both', workers=2), save_dataset(SyntheticDataPipeline(cfg).generate_all(), cfg, d / 'mem')

def _cells(folder):
    raw = pd.read_csv(folder / 'meter_consumption.csv', dtype=str, keep_default_na=False)
    months = [c for c in raw.columns if c.startswith('monthly_consumption_')]
    return raw, months

def test_no_read_cells_are_empty_exactly_where_the_defects_say(unread):
    streamed, mem = unread
    raw, months = _cells(streamed)
    empty = raw.melt(id_vars='meter_id', value_vars=months)
    empty = empty[empty.value == ''].assign(month=lambda e: e.variable.str[-6:-2] + '-' + e.variable.str[-2:])
    d = pd.read_csv(streamed / 'meter_defects.csv')
    no_read = d[d.kind.isin(NO_READ_KINDS)]
    assert len(empty) > 100
    assert set(zip(empty.meter_id, empty.month)) == set(zip(no_read.meter_id, no_read.month))
    t = pq.read_table(streamed / 'meter_consumption.parquet')
    assert sum(t.column(c).null_count for c in months) == len(empty)          # null in Parquet too, not NaN
    long = pd.read_csv(streamed / 'meter_month_labels.csv', dtype=str, keep_default_na=False)
    assert (long.billed_kwh == '').sum() == len(empty)
    assert validate(streamed).ok, validate(streamed).summary()
    for f in ('meter_consumption.csv', 'meter_month_labels.csv', 'anomaly_labels.csv', 'transformer_energy.csv', 'generation_report.txt'):
        assert hashlib.sha256((streamed / f).read_bytes()).digest() == hashlib.sha256((mem / f).read_bytes()).digest(), f

def _edit_cell(src, dst, find, value):
    shutil.copytree(src, dst)
    raw, months = _cells(dst)
    r, c = next((r, c) for c in months for r in raw.index if find(raw.at[r, c]))
    raw.at[r, c] = value
    raw.to_csv(dst / 'meter_consumption.csv', index=False, lineterminator='\n')
    return validate(dst)

def test_an_unexplained_empty_cell_fails(unread, tmp_path):
    rep = _edit_cell(unread[1], tmp_path / 'ed', lambda v: v not in ('', '0', '0.0'), '')
    assert any('empty month cells that meter_defects does not list' in f for f in rep.failures), rep.summary()

def test_a_listed_no_read_month_with_a_value_fails(unread, tmp_path):
    rep = _edit_cell(unread[1], tmp_path / 'ed', lambda v: v == '', '0.0')
    assert any('whose cell in meter_consumption.csv is not empty' in f for f in rep.failures), rep.summary()

def test_readers_fill_the_gaps(unread):
    ds = load_dataset(unread[0])
    raw = ds.meters[ds.month_columns].to_numpy(float)
    X = billed_matrix(ds)
    assert np.isnan(raw).any() and not np.isnan(X).any() and not np.isnan(ds.to_xy()[0]).any()
    np.testing.assert_allclose(X.sum(), np.nansum(raw), rtol=1e-12)       # spreading a catch-up bill keeps every kWh
    assert np.isnan(ds.to_xy(impute=False)[0]).sum() == np.isnan(raw).sum()

def test_impute_spreads_the_catch_up_read():
    X = impute_reads(np.array([[100., np.nan, 300, 100], [np.nan, 80, 90, np.nan]]))
    np.testing.assert_array_equal(X, [[100., 150, 150, 100], [0., 80, 90, 0]])
