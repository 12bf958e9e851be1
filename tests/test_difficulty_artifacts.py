"""No artifact feature gives theft away (issue 13): on a `metro_manila` dataset written to disk by the CLI, with its
realistic defects, no single artifact feature — repeated values, exact zeros, declared kVA and its ratio to the billed
load (mean of the last 6 months, median, largest month), digit patterns — separates any theft type from honest meters
with ROC-AUC above 0.65 (taken in the better direction). 100,000 meters so that each theft type has 200+ thieves
(with ~40, the AUC of a feature that carries nothing still wanders by ±0.05). The full study is nbs/17b_difficulty."""
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from cli_run import run_inprocess

MONTH = 'monthly_consumption_'

def artifact_features(m:pd.DataFrame)->pd.DataFrame:
    "The artifact features of each meter of a meter table (missing reads as the table has them)."
    X = m[[c for c in m.columns if c.startswith(MONTH)]].to_numpy(float)
    kva = m.kVA.to_numpy(float)
    S = np.sort(np.where(np.isnan(X), -np.arange(X.shape[1]) - 1.0, X), 1)   # a missing read never repeats
    eq = np.diff(S, axis=1) == 0
    run, best = np.ones(len(X)), np.ones(len(X))
    for j in range(eq.shape[1]): run = np.where(eq[:, j], run + 1, 1); best = np.maximum(best, run)   # over months, not meters
    ok = np.isfinite(X)
    tenth = np.round(np.nan_to_num(X) * 10).astype(np.int64)
    share = lambda a: (a & ok).sum(1) / np.maximum(ok.sum(1), 1)
    with np.errstate(all='ignore'):
        level = lambda v: np.maximum(np.nan_to_num(v), 1e-3)
        return pd.DataFrame({'repeat_max': best, 'repeat_pairs': eq.sum(1), 'zeros': (X == 0).sum(1), 'kva': kva,
                             'kva_per_mean6': kva / level(np.nanmean(X[:, -6:], 1)), 'kva_per_median': kva / level(np.nanmedian(X, 1)),
                             'kva_per_max': kva / level(np.nanmax(X, 1)), 'digit_whole': share(tenth % 10 == 0),
                             'digit_last_mean': np.where(ok, tenth % 10, 0).sum(1) / np.maximum(ok.sum(1), 1),
                             'digit_round10': share(tenth % 100 == 0)})

def best_direction_auc(y, s):
    a = roc_auc_score(y, s); return max(a, 1 - a)

@pytest.fixture(scope='module', params=[11, 12])
def written(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f'mm{request.param}') / 'data'
    r = run_inprocess('generate', '--preset', 'metro_manila', '--num-meters', '100000', '--num-transformers', '2500',
                      '--seed', request.param, '--format', 'csv', '--output-dir', out, '-q')
    assert r.returncode == 0, r.stderr
    m = pd.read_csv(out / 'meter_consumption.csv')
    labels = pd.read_csv(out / 'anomaly_labels.csv')
    typ = m[['meter_id']].merge(labels[['meter_id', 'anomaly_type']], how='left').anomaly_type.fillna('none').to_numpy()
    return m, typ

def test_no_artifact_feature_scores_above_065_on_any_theft_type(written):
    m, typ = written
    cols = [c for c in m.columns if c.startswith(MONTH)]
    assert (typ != 'none').sum() == round(0.04 * len(m))
    tables = [artifact_features(m), artifact_features(m.assign(**{c: m[c].fillna(0.0) for c in cols}))]  # as written, and a missing read as 0
    honest, worst = typ == 'none', {}
    for t in sorted(set(typ) - {'none'}):
        k = honest | (typ == t)
        assert (typ == t).sum() >= 200, t
        for F in tables:
            for c in F.columns:
                a = best_direction_auc(typ[k] == t, np.nan_to_num(F[c].to_numpy()[k]))
                if a > worst.get((t, c), 0): worst[(t, c)] = a
    over = {key: round(a, 3) for key, a in worst.items() if a > 0.65}
    assert not over, over

def test_the_features_do_find_a_real_fingerprint():
    "The check is not blind: a theft type with a planted fingerprint (every thief bills whole kWh, kVA 10x) is caught."
    rng = np.random.default_rng(0)
    n = 4000
    X = np.round(rng.lognormal(5, 0.7, (n, 24)), 1)
    thief = np.arange(n) < 200
    X[thief] = np.round(X[thief])                              # whole kWh only
    m = pd.DataFrame(X, columns=[f'{MONTH}{i:02d}' for i in range(24)]).assign(kVA=np.where(thief, 30.0, 3.0))
    F = artifact_features(m)
    assert best_direction_auc(thief, F.digit_whole) > 0.9
    assert best_direction_auc(thief, F.kva_per_mean6) > 0.9
    X2 = X.copy(); X2[:200, :8] = 120.0                        # eight identical bills
    assert best_direction_auc(thief, artifact_features(m.assign(**dict(zip(m.columns[:24], X2.T)))).repeat_max) > 0.9

def test_artifact_features_average_near_chance_on_20k_test_sets():
    """At the issue's size (20,000 meters, 40-120 thieves per type) one test set's AUCs wander by +-0.05, so the check is
    on the average over eight test sets (seeds 21-28, none used to calibrate the generator): no artifact feature's mean
    AUC on any theft type above 0.62 (the worst is 0.610 now, kVA / mean of the last 6 bills on `low_consumption`; at
    53e708e, before onset-aware and class-standardised targeting and the narrower ramp and spike, it was 0.634, kVA /
    largest bill on `spike`). Label shuffles alone give a mean of ~0.53-0.54 per feature and type."""
    from ghostload_nb.config import GeneratorConfig
    from ghostload_nb.pipeline import SyntheticDataPipeline
    acc = {}
    for seed in range(21, 29):
        o = SyntheticDataPipeline(GeneratorConfig.from_preset('metro_manila', num_meters=20_000, num_transformers=500, random_seed=seed)).generate_all()
        m = o['meters_df']
        typ = m[['meter_id']].merge(o['anomaly_labels_df'][['meter_id', 'anomaly_type']], how='left').anomaly_type.fillna('none').to_numpy()
        F, honest = artifact_features(m), typ == 'none'
        for t in sorted(set(typ) - {'none'}):
            k = honest | (typ == t)
            for c in F.columns: acc.setdefault((t, c), []).append(best_direction_auc(typ[k] == t, np.nan_to_num(F[c].to_numpy()[k])))
    mean = {key: round(float(np.mean(v)), 3) for key, v in acc.items()}
    assert len(mean) == 11 * 10 and all(len(v) == 8 for v in acc.values())
    over = {key: a for key, a in mean.items() if a > 0.62}
    assert not over, over
