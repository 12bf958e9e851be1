"The generator's fingerprints stay removed (issue 13): cheap checks on small in-memory datasets; the full study is nbs/17b_difficulty."
import numpy as np
import pytest
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.pipeline import SyntheticDataPipeline
from ghostload_nb.realism import SERVICE_LIMIT_KWH, SERVICE_RATINGS

MONTH = 'monthly_consumption_'

@pytest.fixture(scope='module')
def manila():
    p = SyntheticDataPipeline(GeneratorConfig.from_preset('metro_manila', num_meters=20_000, num_transformers=500, random_seed=5))
    o = p.generate_all()
    m = o['meters_df']
    typ = m[['meter_id']].merge(o['anomaly_labels_df'][['meter_id', 'anomaly_type']], how='left').anomaly_type.fillna('none').to_numpy()
    return {'m': m, 'X': m[[c for c in m.columns if c.startswith(MONTH)]].to_numpy(float), 'type': typ,
            'events': set(o['meter_events_df'].meter_id), 'true': p.meter_generator.true_kwh}

def honest_residential(d):
    return (d['type'] == 'none') & (d['m'].customer_class == 'residential').to_numpy() & ~d['m'].meter_id.isin(d['events']).to_numpy()

def test_loads_persist_and_season_does_not_repeat(manila):
    X = manila['X'][honest_residential(manila)]
    X = X[np.isfinite(X).all(1) & (X > 0).all(1)]
    C = np.log(X); C -= C.mean(1, keepdims=True); T = C.shape[1]
    ac = lambda k: np.mean((C[:, k:] * C[:, :-k]).sum(1) / (C * C).sum(1)) * T / (T - k)
    assert ac(1) > 0.3 and ac(12) < ac(1)

def test_residential_level_and_service_limit(manila):
    X = manila['X']
    res = (manila['m'].customer_class == 'residential').to_numpy()
    assert 150 <= np.nanmedian(X[honest_residential(manila)]) <= 250
    assert manila['true'][res].max() <= SERVICE_LIMIT_KWH['residential']

def test_theft_shapes_do_not_repeat_values(manila):
    X = np.round(manila['X'], 1)
    S = np.sort(np.where(np.isfinite(X), X, -np.arange(X.shape[1]) - 1.0), 1)
    eq = np.diff(S, axis=1) == 0
    run, best = np.ones(len(X)), np.ones(len(X))
    for j in range(eq.shape[1]): run = np.where(eq[:, j], run + 1, 1); best = np.maximum(best, run)
    honest = (best[manila['type'] == 'none'] >= 6).mean()     # closed accounts and disconnections repeat 0 for honest meters too
    for t in ('flat', 'peak_cap', 'bypass'):
        assert (best[manila['type'] == t] >= 6).mean() < honest + 0.03, t

def test_declared_kva_is_a_standard_rating_loosely_tied_to_use(manila):
    m = manila['m']
    ok = honest_residential(manila)
    assert set(np.unique(m.kVA[(m.customer_class == 'residential').to_numpy()])) <= set(SERVICE_RATINGS['residential'])
    peak = manila['true'][ok].max(1)
    assert 0.05 < np.corrcoef(np.log(m.kVA.to_numpy()[ok]), np.log(peak))[0, 1] < 0.4    # loosely tied (elasticity 0.2), not computed from use

def test_thieves_bill_like_their_neighbours_and_use_more(manila):
    "Who steals (theft_targeting=1): heavier users make the deeper cuts, so a thief's bill is not lower than an honest one's."
    X, true, thief = manila['X'], manila['true'], manila['type'] != 'none'
    res = (manila['m'].customer_class == 'residential').to_numpy()
    billed = np.nanmedian(np.nanmean(X[thief & res], 1)) / np.nanmedian(np.nanmean(X[~thief & res], 1))
    used = np.median(true[thief & res].mean(1)) / np.median(true[~thief & res].mean(1))
    assert 0.8 < billed < 1.25 and used > 1.4, (billed, used)

def test_seed_defaults_pass_the_original_loader_bounds():
    o = SyntheticDataPipeline(GeneratorConfig()).generate_all()
    m = o['meters_df']
    X = m[[c for c in m.columns if c.startswith(MONTH)]].to_numpy(float)
    assert np.isfinite(X).all() and X.min() >= 0 and X.max() <= 10_000
    assert m.kVA.min() >= 0.01 and m.kVA.max() <= 10_000
    honest = ~m.meter_id.isin(o['anomaly_labels_df'].meter_id).to_numpy()
    assert not (X[honest] == 0).all(1).any()

def test_no_residential_bill_above_the_service_limit_without_defects():
    o = SyntheticDataPipeline(GeneratorConfig.from_preset('metro_manila', num_meters=20_000, num_transformers=500, random_seed=2,
                                                          defect_rates={}, billing_cycle=False)).generate_all()
    m = o['meters_df']
    X = m[[c for c in m.columns if c.startswith(MONTH)]].to_numpy(float)
    assert X[(m.customer_class == 'residential').to_numpy()].max() <= SERVICE_LIMIT_KWH['residential']
