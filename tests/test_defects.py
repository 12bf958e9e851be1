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
