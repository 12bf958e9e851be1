"""Issue 13, the energy balance a utility really has: meter-to-transformer tagging errors (billed sums by the records'
transformer, the physical balance by wire) and transformers without an observer meter (empty, never 0)."""
import hashlib, shutil
from pathlib import Path
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline, validate, load_dataset
from ghostload_nb.pipeline import save_dataset
from ghostload_nb.stream import generate_dataset
from ghostload_nb.view import export_view
from ghostload_nb.detectors import technical_loss_fit

def small(**kw):
    "A small metro_manila run with only the energy-balance realism a test names (the preset's own shares set to 0 unless given)."
    return GeneratorConfig.from_preset('metro_manila', num_meters=1500, num_transformers=40, num_months=6, random_seed=7,
                                       **{'tagging_error_rate': 0.0, 'unobserved_transformer_share': 0.0, **kw})

def sha(p): return hashlib.sha256(Path(p).read_bytes()).hexdigest()

@pytest.fixture(scope='module')
def dark(tmp_path_factory):
    "The same unobserved-transformer dataset, streamed (CSV + Parquet) and in memory (CSV)."
    cfg = small(unobserved_transformer_share=0.3)
    d = tmp_path_factory.mktemp('dark')
    return cfg, generate_dataset(cfg, d / 'streamed', formats='both', workers=2), save_dataset(SyntheticDataPipeline(cfg).generate_all(), cfg, d / 'mem')

def test_unobserved_transformers_are_empty_not_zero(dark):
    cfg, streamed, mem = dark
    raw = pd.read_csv(streamed / 'transformer_energy.csv', dtype=str, keep_default_na=False)
    empty = raw.delivered_measured_kwh == ''
    per_tx = empty.groupby(raw.transformer_id).agg(['all', 'any'])
    assert (per_tx['all'] == per_tx['any']).all()                        # a whole transformer or none of it
    assert int(per_tx['all'].sum()) == 12                                 # 30% of 40
    assert not (raw.delivered_measured_kwh == '0.0').any()
    col = pq.read_table(streamed / 'transformer_energy.parquet').column('delivered_measured_kwh')
    assert col.null_count == int(empty.sum())                             # null in Parquet, not NaN
    assert validate(streamed).ok, validate(streamed).summary()
    for f in ('transformer_energy.csv', 'meter_consumption.csv', 'transformers.geojson', 'generation_report.txt'):
        assert sha(streamed / f) == sha(mem / f), f                       # streaming = in memory

def _edited(src, dst, edit):
    shutil.copytree(src, dst)
    te = pd.read_csv(dst / 'transformer_energy.csv', dtype=str, keep_default_na=False)
    who = edit(te)
    te.to_csv(dst / 'transformer_energy.csv', index=False, lineterminator='\n')
    return who, validate(dst)

def test_validate_names_a_transformer_whose_billed_sum_was_edited(dark, tmp_path):
    def edit(te):
        te.loc[7, 'billed_kwh'] = f"{float(te.loc[7, 'billed_kwh']) + 25:.1f}"
        te.loc[7, 'loss_kwh'] = f"{float(te.loc[7, 'loss_kwh']) - 25:.1f}"        # keep loss = delivered - billed: only the sum is wrong
        te.loc[7, 'billing_adjustment_kwh'] = f"{float(te.loc[7, 'billing_adjustment_kwh']) - 25:.1f}"   # and the wire identity
        return te.loc[7, 'transformer_id']
    who, rep = _edited(dark[2], tmp_path / 'ed', edit)
    fails = [f for f in rep.failures if 'billed_kwh differs from the sum over its meters' in f]
    assert len(fails) == 1 and who in fails[0], rep.summary()

def test_validate_fails_on_an_empty_measured_cell_of_an_observed_transformer(dark, tmp_path):
    def edit(te):
        i = te.index[te.delivered_measured_kwh != ''][0]
        te.loc[i, 'delivered_measured_kwh'] = ''
        return te.loc[i, 'transformer_id']
    who, rep = _edited(dark[2], tmp_path / 'ed', edit)
    assert any('delivered_measured_kwh empty in some months only' in f and who in f for f in rep.failures), rep.summary()

def test_validate_fails_when_a_transformer_loses_its_observer_meter(dark, tmp_path):
    def edit(te):
        t = te.transformer_id[te.delivered_measured_kwh != ''].iloc[0]
        te.loc[te.transformer_id == t, 'delivered_measured_kwh'] = ''
        return t
    _, rep = _edited(dark[2], tmp_path / 'ed', edit)
    assert any('13 transformers have no observer meter' in f and 'gives 12' in f for f in rep.failures), rep.summary()

def test_readers_and_the_view_keep_the_gap(dark, tmp_path):
    _, streamed, _ = dark
    en = load_dataset(streamed).energy
    assert en.delivered_measured_kwh.isna().sum() == 12 * 6
    v = export_view(streamed, tmp_path / 'view')
    raw = pd.read_csv(v / 'transformer_energy.csv', dtype=str, keep_default_na=False)
    assert (raw.delivered_measured_kwh == '').sum() == 12 * 6 and 'tagging_transfer_kwh' not in raw.columns

def test_tagging_errors_bill_by_the_records_and_balance_by_wire():
    cfg = small(tagging_error_rate=0.05)
    pipe = SyntheticDataPipeline(cfg)
    out = pipe.generate_all()
    mg, m, te = pipe.meter_generator, out['meters_df'], out['transformer_energy_df']
    tx = out['transformers_df'].transformer_id.to_numpy()
    wrong = m.transformer_id.to_numpy() != tx[mg.transformer_index]
    assert 0.03 < wrong.mean() < 0.07 and len(mg.tagging_df) == wrong.sum()
    by_records = m.groupby('transformer_id')[cfg.month_columns].sum().reindex(tx, fill_value=0.0).to_numpy().ravel()
    np.testing.assert_allclose(te.billed_kwh.to_numpy(), by_records, atol=0.05)
    gap = te.metered_true_kwh - (te.billed_kwh - te.tagging_transfer_kwh) - te.theft_unbilled_kwh - te.billing_adjustment_kwh
    assert gap.abs().max() < 0.05                                       # the physical balance, by wire
    assert te.tagging_transfer_kwh.abs().sum() > 0
    assert te.groupby('month').tagging_transfer_kwh.sum().abs().max() < 0.05   # moved between transformers, never made

def test_technical_loss_fit_recovers_the_technical_loss_despite_observer_error(dark):
    ds = load_dataset(dark[1])
    fit = technical_loss_fit(ds)
    seen = fit.technical_kwh.notna().to_numpy()
    assert seen.sum() == 28 * 6                                          # the unobserved take no part
    ratio = fit.technical_kwh.to_numpy()[seen].sum() / ds.energy.technical_loss_kwh.to_numpy()[seen].sum()
    assert 0.7 < ratio < 1.5, ratio

@pytest.fixture(scope='module')
def tagged(tmp_path_factory):
    "A tagging dataset streamed (CSV + Parquet) and written from memory (CSV), and the two checks that read the truth."
    from ghostload_nb.validation import CHECKS
    cfg = small(tagging_error_rate=0.05)
    d = tmp_path_factory.mktemp('tag')
    streamed = generate_dataset(cfg, d / 'streamed', formats='both', workers=2)
    mem = save_dataset(SyntheticDataPipeline(cfg).generate_all(), cfg, d / 'mem')
    return mem, {k: CHECKS[k] for k in ('meter_tagging', 'transformer_energy')}, streamed

def test_a_tagging_dataset_validates_and_streams_as_in_memory(tagged):
    mem, _, streamed = tagged
    for d in (mem, streamed):
        rep = validate(d)
        assert rep.ok and {'meter_tagging', 'geojson', 'transformer_energy'} <= set(rep.passed), rep.summary()
    for f in ('meter_tagging.csv', 'transformers.geojson', 'transformer_energy.csv', 'meter_consumption.csv', 'generation_report.txt'):
        assert sha(streamed / f) == sha(mem / f), f
    tg = pd.read_csv(mem / 'meter_tagging.csv')
    m = pd.read_csv(mem / 'meter_consumption.csv', usecols=['meter_id', 'transformer_id', 'customer_class']).set_index('meter_id')
    assert (m.transformer_id[tg.meter_id].to_numpy() == tg.recorded_transformer_id.to_numpy()).all()
    assert (m.customer_class[tg.meter_id] == 'residential').all() and 0.03 < len(tg) / len(m) < 0.07

def test_tagging_truth_agrees_with_the_records(tagged):
    d, checks, _ = tagged
    assert validate(d, checks).ok, validate(d, checks).summary()

@pytest.mark.parametrize('edit, needle', [
    (lambda tg: tg.iloc[1:], 'tagging_transfer_kwh over the window differs'),            # a mis-tagged meter left out
    (lambda tg: tg.assign(recorded_transformer_id=tg.transformer_id), 'not a tagging error'),
    (lambda tg: tg.assign(meter_id=tg.meter_id.where(tg.index > 0, 'MTR_999999')), 'meter_id not in meter_consumption.csv')])
def test_a_wrong_tagging_truth_fails(tagged, tmp_path, edit, needle):
    d, checks, _ = tagged
    e = tmp_path / 'ed'; shutil.copytree(d, e)
    edit(pd.read_csv(e / 'meter_tagging.csv')).to_csv(e / 'meter_tagging.csv', index=False)
    rep = validate(e, checks)
    assert any(needle in f for f in rep.failures), rep.summary()

def test_the_detector_view_shows_the_records_not_the_truth(tagged, tmp_path):
    d, _, _ = tagged
    v = export_view(d, tmp_path / 'view')
    assert not (v / 'meter_tagging.csv').exists()
    te = pd.read_csv(v / 'transformer_energy.csv')
    assert 'tagging_transfer_kwh' not in te.columns and 'billed_kwh' in te.columns
    assert (pd.read_csv(v / 'meter_consumption.csv').transformer_id == pd.read_csv(d / 'meter_consumption.csv').transformer_id).all()
