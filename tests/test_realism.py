"Realism (issue 4): presets, theft library, look-alikes, energy balance and geography, checked on files read back from disk."
import json
import warnings
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline
from ghostload_nb.anomalies import ANOMALY_PATTERNS, apply_pattern
from ghostload_nb.seeding import component_rng
from ghostload_nb.geography import in_water


def month_cols(m): return [c for c in m.columns if c.startswith('monthly_consumption_')]

def read(d):
    return {n: pd.read_csv(d / f'{n}.csv') for n in
            ('transformers', 'meter_consumption', 'anomaly_labels', 'meter_month_labels', 'meter_events', 'transformer_energy')}

@pytest.fixture(scope='module')
def metro(tmp_path_factory):
    "A metro_manila dataset (5,000 meters, 24 months) written by the CLI and read back."
    import subprocess, sys
    from pathlib import Path
    out = tmp_path_factory.mktemp('mm') / 'ds'
    exe = Path(sys.executable).parent / 'ghostload'
    r = subprocess.run([str(exe), 'generate', '--preset', 'metro_manila', '--num-meters', '5000', '--num-transformers', '125',
                        '--seed', '1', '--output-dir', str(out), '-q'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return {**read(out), 'dir': out}


def single_statistics(m):
    "Per-meter statistics a one-line rule could threshold (a missing read, empty in the file, is left out)."
    X = m[month_cols(m)].to_numpy(float)
    T, mean, eps = X.shape[1], np.nanmean(X, 1), 1e-9
    cls = m.customer_class.to_numpy()
    z = np.log(mean + 1)
    for c in np.unique(cls):                           # class-wise level: position within the meter's class
        k = cls == c
        z[k] = (z[k] - np.median(z[k])) / (z[k].std() + eps)
    t = np.arange(T) - (T - 1) / 2
    q = max(1, T // 4)
    first, last = X[:, 0], X[:, -1]
    with np.errstate(all='ignore'), warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)             # all-missing slices: scored 0 below
        out = {'class-wise mean level': z, 'mean level': mean, 'last/first': last / (first + eps),
               'last quarter/first quarter': np.nanmean(X[:, -q:], 1) / (np.nanmean(X[:, :q], 1) + eps),
               'min/mean': np.nanmin(X, 1) / (mean + eps), 'max/mean': np.nanmax(X, 1) / (mean + eps), 'cv': np.nanstd(X, 1) / (mean + eps),
               'trend': np.nansum((X - mean[:, None]) * t, 1) / (t * t).sum() / (mean + eps),
               'largest monthly drop': np.nanmin(np.diff(np.log(X + 1), axis=1), 1)}
    return {k: np.nan_to_num(v, nan=0.0, posinf=0.0, neginf=0.0) for k, v in out.items()}   # a meter without the reads a rule needs scores 0

def separability(y, s):
    a = roc_auc_score(y, s)
    return max(a, 1 - a)


def test_metro_manila_no_single_statistic_separates(metro):
    m, lab = metro['meter_consumption'], metro['anomaly_labels']
    y = m.meter_id.isin(lab.meter_id).to_numpy()
    assert y.sum() == 200                                         # 4% of 5,000
    aucs = {k: separability(y, s) for k, s in single_statistics(m).items()}
    print({k: round(v, 3) for k, v in aucs.items()})
    assert max(aucs.values()) <= 0.85, aucs
    assert max(aucs['min/mean'], aucs['cv'], aucs['largest monthly drop']) > 0.6   # theft is there: a thief's bill dips and varies more
    assert aucs['class-wise mean level'] < 0.7                    # ... not a bill below its neighbours' (heavy users make the deep cuts)


def test_seed_preset_keeps_the_seed_behaviour(tmp_path):
    assert GeneratorConfig.from_preset('seed') == GeneratorConfig()
    cfg = GeneratorConfig.from_preset('seed', num_meters=5000, num_transformers=125, random_seed=1, output_dir=tmp_path / 'ds')
    pipe = SyntheticDataPipeline(cfg)
    d = read(pipe.save_outputs(pipe.generate_all()))
    m, lab, long = d['meter_consumption'], d['anomaly_labels'], d['meter_month_labels']
    assert list(lab.columns[:4]) == ['meter_id', 'anomaly_flag', 'risk_band', 'anomaly_type']
    assert set(lab.anomaly_type) == {'low_consumption'} and set(lab.onset_month) == {'2024-01'}
    assert len(d['meter_events']) == 0 and d['transformer_energy'].unmetered_kwh.max() == 0
    thief = long.meter_id.isin(lab.meter_id)
    ratio = long.billed_kwh[thief] / long.true_kwh[thief].where(long.true_kwh[thief] > 0.5)
    assert ratio.dropna().between(0.25 * 0.6 - 0.02, 0.40 + 0.02).all()          # ~30% of true, declining
    assert (long.billed_kwh[~thief] == long.true_kwh[~thief]).all()
    y = m.meter_id.isin(lab.meter_id).to_numpy()
    assert separability(y, single_statistics(m)['trend']) > 0.85      # the seed's steady decline still gives thieves away


def test_energy_balance_identity_on_disk(metro):
    te, m, lab, long = metro['transformer_energy'], metro['meter_consumption'], metro['anomaly_labels'], metro['meter_month_labels']
    assert len(te) == 125 * 24
    wired_billed = te.billed_kwh - te.get('tagging_transfer_kwh', 0.0)        # billed_kwh is by the records; the physics by wire
    lhs = te.delivered_kwh - wired_billed - te.technical_loss_kwh
    rhs = te.theft_unbilled_kwh + te.unmetered_kwh + te.billing_adjustment_kwh
    np.testing.assert_allclose(lhs, rhs, rtol=0, atol=1e-6 * te.delivered_kwh.max())
    # every energy column is written at 0.1 kWh, so the identities hold to float round-off of one-decimal numbers
    np.testing.assert_allclose(te.technical_loss_kwh, te.core_loss_kwh + te.copper_loss_kwh, rtol=0, atol=1e-6)
    np.testing.assert_allclose(te.loss_kwh, te.delivered_kwh - te.billed_kwh, rtol=0, atol=1e-6)
    # billed and true energy add up to what the meter tables say, transformer by transformer
    billed_m = m.groupby('transformer_id')[month_cols(m)].sum().sum(axis=1)
    np.testing.assert_allclose(te.groupby('transformer_id').billed_kwh.sum()[billed_m.index], billed_m, rtol=1e-9)
    tagging = metro['dir'] / 'meter_tagging.csv'
    wire = m.set_index('meter_id').transformer_id.copy()
    if tagging.exists():                                                       # mis-tagged meters: the transformer that feeds them
        tg = pd.read_csv(tagging)
        wire[tg.meter_id] = tg.transformer_id.to_numpy()
    true_tx = long.assign(transformer_id=long.meter_id.map(wire)).groupby('transformer_id').true_kwh.sum()
    np.testing.assert_allclose(te.groupby('transformer_id').metered_true_kwh.sum()[true_tx.index], true_tx, rtol=1e-9)
    assert abs(te.theft_unbilled_kwh.sum() - lab.unbilled_kwh.sum()) < 0.05 * len(lab) + 1
    share = te.technical_loss_kwh.sum() / te.delivered_kwh.sum()
    assert 0.015 < share < 0.045                                   # technical loss ≈ 2–4% of delivered (DOMAIN.md §5.5)
    assert (te.capacity_kVA > 0).all() and 0.3 < te.groupby('transformer_id').peak_utilisation.max().median() < 1.0


def test_labels_events_and_month_labels_agree(metro):
    m, lab, long, ev = metro['meter_consumption'], metro['anomaly_labels'], metro['meter_month_labels'], metro['meter_events']
    assert set(lab.anomaly_type) == set(ANOMALY_PATTERNS) and (lab.onset_month != '2024-01').mean() > 0.3
    assert list(long.columns) == ['meter_id', 'month', 'true_kwh', 'billed_kwh', 'is_theft'] and len(long) == 5000 * 24
    np.testing.assert_array_equal(long.billed_kwh.to_numpy().reshape(5000, 24), m[month_cols(m)].to_numpy())
    theft_rows = long[long.is_theft == 1]
    assert set(theft_rows.meter_id) <= set(lab.meter_id)
    onset = theft_rows.meter_id.map(lab.set_index('meter_id').onset_month)
    assert (theft_rows.month >= onset).all()                        # never before the onset
    assert ev.event_type.value_counts().to_dict() == {'vacancy': 75, 'net_metering': 25, 'estimated_billing': 50, 'regime_shift': 50}
    assert not ev.meter_id.isin(lab.meter_id).any()                 # look-alikes are honest meters
    # metro_manila bills by route-day read periods (28-33 days) and has billing defects, so an honest meter's bill is not
    # its calendar-month consumption; over the whole series it bills what it used, give or take the days its first and
    # last read periods reach past the series
    defects = pd.read_csv(metro['dir'] / 'meter_defects.csv')
    honest_plain = ~long.meter_id.isin(lab.meter_id) & ~long.meter_id.isin(ev.meter_id) & ~long.meter_id.isin(defects.meter_id)
    totals = long[honest_plain].groupby('meter_id')[['true_kwh', 'billed_kwh']].sum()
    ratio = totals.billed_kwh / totals.true_kwh
    assert len(ratio) > 1000 and ratio.between(0.94, 1.06).all() and abs(ratio.median() - 1) < 0.01
    assert (long.true_kwh[honest_plain] != long.billed_kwh[honest_plain]).mean() > 0.5    # months do not line up with reads
    params = [c for c in lab.columns if c.startswith('param_')]
    assert list(lab.columns) == ['meter_id', 'anomaly_flag', 'risk_band', 'anomaly_type', 'onset_month', *params,
                                 'true_kwh', 'billed_kwh', 'unbilled_kwh']
    assert lab.param_alpha.notna().sum() == (lab.anomaly_type == 'h1').sum()


@pytest.mark.parametrize('preset', ['seed', 'metro_manila'])
def test_nothing_in_the_bay_or_the_lake(metro, preset):
    if preset == 'seed':
        o = SyntheticDataPipeline(GeneratorConfig(num_meters=5000, num_transformers=200)).generate_all()
        tx, m = o['transformers_df'], o['meters_df']
    else: tx, m = metro['transformers'], metro['meter_consumption']
    assert not in_water(tx.lat, tx.lon).any() and not in_water(m.lat, m.lon).any()
    assert tx.barangay.nunique() > 10


def test_custom_region_keeps_uniform_placement():
    bounds = {'lat': (10.25, 10.40), 'lon': (123.85, 123.95)}      # Cebu City
    o = SyntheticDataPipeline(GeneratorConfig(geo_bounds=bounds, num_meters=300, num_transformers=10)).generate_all()
    for df in (o['transformers_df'], o['meters_df']):
        assert df.lat.between(*bounds['lat']).all() and df.lon.between(*bounds['lon']).all()


@pytest.mark.parametrize('name', sorted(ANOMALY_PATTERNS))
def test_each_pattern_from_its_onset(name):
    rng = np.random.default_rng(11)
    X = rng.lognormal(5, 1, (300, 1)) * rng.lognormal(0, 0.1, (300, 18))
    onset = rng.integers(0, 18, 300)
    billed, params = apply_pattern(X, onset, name, component_rng(5, 'anomalies', 9))
    before = np.arange(18)[None, :] < onset[:, None]
    np.testing.assert_array_equal(billed[before], X[before])
    assert (billed >= 0).all() and all(len(v) == 300 for v in params.values())
    lost = np.where(before, 0, X - billed).sum(1)
    if name != 'spike': assert (lost > 0).all()                    # every thief bills less from its onset on
