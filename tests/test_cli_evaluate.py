"End-to-end tests of `ghostload evaluate`: generate a dataset, evaluate it, read the JSON and CSV back."
import json
import pandas as pd

def test_generate_then_evaluate_json_and_csv(run_cli, tmp_path):
    assert run_cli('generate', '--num-meters', 1000, '--num-transformers', 20, '--seed', 5, '--output-dir', tmp_path / 'ds', '-q').returncode == 0
    r = run_cli('evaluate', tmp_path / 'ds', '--json', tmp_path / 'm.json', '--csv', tmp_path / 'm.csv')
    assert r.returncode == 0, r.stderr
    assert 'naive_iforest' in r.stdout and 'engineered_iforest' in r.stdout and 'low_consumption' in r.stdout
    saved = json.loads((tmp_path / 'm.json').read_text())
    labels = pd.read_csv(tmp_path / 'ds' / 'anomaly_labels.csv')
    det = saved['detectors']
    assert set(det) >= {'naive_iforest', 'engineered_iforest'}
    for name, m in det.items():
        assert m['n_meters'] == 1000 and m['n_theft'] == len(labels) == 75
        assert 0 <= m['roc_auc'] <= 1 and 0 <= m['pr_auc'] <= 1 and 0 <= m['map_at_k'] <= 1
        assert m['k'] == 100 and m['n_flagged'] == 75
        assert sum(v['n'] for v in m['recall_by_type'].values()) == 75
        assert sum(v['n'] for v in m['recall_by_class'].values()) == 75
        # flagged = top 75 = thieves + false positives
        assert round(m['recall_flagged'] * 75) + m['false_positives'] == 75
    assert det['engineered_iforest']['roc_auc'] > det['naive_iforest']['roc_auc'] + 0.2
    table = pd.read_csv(tmp_path / 'm.csv', index_col='detector')
    for name, m in det.items():
        assert table.loc[name, 'roc_auc'] == m['roc_auc'] and table.loc[name, 'map_at_k'] == m['map_at_k']

def test_evaluate_is_deterministic(run_cli, tmp_path):
    assert run_cli('generate', '--num-meters', 400, '--num-transformers', 10, '--output-dir', tmp_path / 'ds', '-q').returncode == 0
    for name in ('a.json', 'b.json'): assert run_cli('evaluate', tmp_path / 'ds', '--json', tmp_path / name).returncode == 0
    assert (tmp_path / 'a.json').read_text() == (tmp_path / 'b.json').read_text()

def test_evaluate_bad_input_one_line_exit_2_nothing_written(run_cli, tmp_path):
    r = run_cli('evaluate', tmp_path / 'missing', '--json', tmp_path / 'm.json')
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and 'path=' in r.stderr
    assert 'Traceback' not in r.stderr and not (tmp_path / 'm.json').exists()
    # a dataset with no thieves has no ROC-AUC
    assert run_cli('generate', '--num-meters', 200, '--num-transformers', 5, '--anomaly-rate', 0, '--output-dir', tmp_path / 'clean', '-q').returncode == 0
    r = run_cli('evaluate', tmp_path / 'clean', '--csv', tmp_path / 'm.csv')
    assert r.returncode == 2 and 'anomaly_flag: 0 thieves among 200 meters' in r.stderr and not (tmp_path / 'm.csv').exists()

def test_metro_manila_preset_all_detectors_and_transformer_ranking(run_cli, tmp_path):
    assert run_cli('generate', '--preset', 'metro_manila', '--output-dir', tmp_path / 'mm', '-q').returncode == 0
    r = run_cli('evaluate', tmp_path / 'mm', '--json', tmp_path / 'm.json', '--k', 50)
    assert r.returncode == 0, r.stderr
    assert 'transformer ranking vs true ghost share' in r.stdout
    saved = json.loads((tmp_path / 'm.json').read_text())
    det = saved['detectors']
    assert list(det) == ['naive_iforest', 'engineered_iforest', 'energy_balance', 'combined']
    labels = pd.read_csv(tmp_path / 'mm' / 'anomaly_labels.csv')
    events = pd.read_csv(tmp_path / 'mm' / 'meter_events.csv')
    for m in det.values():
        assert m['k'] == 50 and m['n_theft'] == len(labels)
        assert set(m['recall_by_type']) == set(labels.anomaly_type)
        assert {k: v['n'] for k, v in m['recall_by_type'].items()} == labels.anomaly_type.value_counts().to_dict()
        assert set(m['recall_by_onset']) <= {'whole window', 'starts later'}
        assert 0 <= m['fp_explained'] <= m['false_positives'] and set(m['fp_by_event']) <= set(events.event_type)
    eng, naive = det['engineered_iforest'], det['naive_iforest']
    assert eng['roc_auc'] > naive['roc_auc'] and eng['pr_auc'] > naive['pr_auc']
    tx = saved['transformers']
    assert set(tx) == {'loss_pct', 'ghost_pct'} and all(-1 <= v['spearman'] <= 1 for v in tx.values())
