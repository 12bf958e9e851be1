"""`ghostload export` on an interval dataset: the detector view keeps the smart-meter readings (observed) and leaves the
interval truth, labels and manifests behind."""
import subprocess, sys
import pandas as pd
import pyarrow.parquet as pq

def run(*args):
    return subprocess.run([sys.executable, '-m', 'ghostload_nb', *args], capture_output=True, text=True)

def test_export_of_an_interval_dataset_keeps_readings_and_drops_truth(tmp_path):
    full, view = tmp_path / 'daily', tmp_path / 'view'
    r = run('generate', '--resolution', 'daily', '--num-meters', '300', '--num-transformers', '10', '--num-months', '3',
            '--output-dir', str(full), '-q')
    assert r.returncode == 0, r.stderr
    r = run('export', str(full), '--view', 'observed', '-o', str(view))
    assert r.returncode == 0, r.stderr
    names = {p.name for p in view.iterdir()}
    assert 'meter_readings.parquet' in names and 'meter_consumption.csv' in names
    assert not names & {'interval_truth.parquet', 'interval_labels.parquet', 'interval_manifest.json', 'manifest.json',
                        'anomaly_labels.csv', 'meter_month_labels.csv', 'interval_monthly.parquet'}
    got = pd.read_parquet(view / 'meter_readings.parquet')
    want = pd.read_parquet(full / 'meter_readings.parquet')
    assert list(got.columns) == ['meter_id', 'timestamp', 'kwh']
    pd.testing.assert_frame_equal(got, want)
    assert len(got) == 300 * (31 + 29 + 31)                          # 2024-01..03, one reading a day
    # the view's monthly bills are still the interval sums
    bills = pd.read_csv(view / 'meter_consumption.csv', dtype={'meter_id': str}).set_index('meter_id')
    jan = got[got.timestamp < '2024-02-01'].groupby('meter_id', observed=True).kwh.sum().round(3)
    jan.index = jan.index.astype(str)
    assert len(jan) == 300
    assert (bills.loc[jan.index, 'monthly_consumption_202401'].to_numpy() == jan.to_numpy()).all()
