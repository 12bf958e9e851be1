"""Streaming generation end to end (issue 7): the CLI's Parquet read back by pandas and pyarrow, the same data whatever
the number of threads, the streamed files equal to the in-memory ones for random configurations, and the progress bar
on a terminal only. Speed and memory are measured by bench/scale.py, never asserted here."""
import fcntl, hashlib, json, os, pty, struct, subprocess, sys, termios
from pathlib import Path
import numpy as np
import pandas as pd
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from hypothesis import example, given, strategies as st   # settings: the profiles in conftest.py
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline
from ghostload_nb.pipeline import save_dataset
from ghostload_nb.stream import generate_dataset

THREE_BLOCKS = ['--num-meters', '140000', '--num-transformers', '700', '--num-months', '2', '--preset', 'metro_manila']

def hashes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file()}

@pytest.fixture(scope='module')
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp('scale') / 'both'
    r = subprocess.run([sys.executable, '-m', 'ghostload_nb', 'generate', *THREE_BLOCKS, '--format', 'both', '--workers', '2',
                        '--output-dir', str(out), '-q'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out

def test_parquet_parts_one_per_block(both):
    parts = sorted(p.name for p in (both / 'meter_consumption.parquet').iterdir())
    assert parts == ['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']
    assert [pq.ParquetFile(both / 'meter_consumption.parquet' / p).metadata.num_rows for p in parts] == [65_536, 65_536, 8_928]
    man = json.loads((both / 'manifest.json').read_text())
    assert sum(v['rows'] for k, v in man['files'].items() if k.startswith('meter_consumption.parquet/')) == 140_000
    assert sum(v['rows'] for k, v in man['files'].items() if k.startswith('meter_month_labels.parquet/')) == 280_000

def test_wide_table_same_in_csv_pandas_and_pyarrow(both):
    csv = pd.read_csv(both / 'meter_consumption.csv')
    via_pandas = pd.read_parquet(both / 'meter_consumption.parquet')
    via_arrow = pads.dataset(both / 'meter_consumption.parquet').to_table().to_pandas()
    assert list(via_pandas.columns) == list(csv.columns)
    for df in (via_pandas, via_arrow):
        assert isinstance(df.customer_class.dtype, pd.CategoricalDtype) and isinstance(df.barangay.dtype, pd.CategoricalDtype)
        assert df.meter_id.tolist() == csv.meter_id.tolist()
        for c in ('transformer_id', 'customer_class', 'barangay'): assert df[c].astype(str).tolist() == csv[c].tolist(), c
        num = [c for c in csv.columns if c not in ('meter_id', 'transformer_id', 'customer_class', 'barangay')]
        np.testing.assert_array_equal(df[num].to_numpy(dtype=float), csv[num].to_numpy(dtype=float))
    assert list(via_pandas.customer_class.cat.categories) == ['residential', 'commercial', 'industrial']   # the run's vocabulary

def test_long_table_months_are_timestamps(both):
    csv = pd.read_csv(both / 'meter_month_labels.csv')
    pqt = pd.read_parquet(both / 'meter_month_labels.parquet')
    assert str(pqt.month.dtype).startswith('datetime64') and str(pqt.is_theft.dtype) == 'int8'
    assert pqt.month.dt.strftime('%Y-%m').tolist() == csv.month.tolist()
    assert pqt.meter_id.tolist() == csv.meter_id.tolist()
    np.testing.assert_array_equal(pqt[['true_kwh', 'billed_kwh', 'is_theft']].to_numpy(dtype=float),
                                  csv[['true_kwh', 'billed_kwh', 'is_theft']].to_numpy(dtype=float))

def test_small_tables_same_in_both_formats(both):
    for name in ('anomaly_labels', 'meter_events', 'transformers', 'transformer_energy'):
        csv, pqt = pd.read_csv(both / f'{name}.csv'), pd.read_parquet(both / f'{name}.parquet')
        assert list(pqt.columns) == list(csv.columns) and len(pqt) == len(csv), name
        for c in csv.columns:
            a = pqt[c]
            if str(a.dtype).startswith('datetime64'): a = a.dt.strftime('%Y-%m')
            if pd.api.types.is_numeric_dtype(csv[c]): np.testing.assert_allclose(a.to_numpy(dtype=float), csv[c].to_numpy(dtype=float), rtol=1e-12, err_msg=f"{name}.{c}")
            else: assert a.astype(str).tolist() == csv[c].astype(str).tolist(), f"{name}.{c}"

def test_same_files_with_one_or_two_threads(both, tmp_path):
    one = tmp_path / 'one'
    r = subprocess.run([sys.executable, '-m', 'ghostload_nb', 'generate', *THREE_BLOCKS, '--format', 'both', '--workers', '1',
                        '--output-dir', str(one), '-q'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert hashes(one) == hashes(both)

@given(meters=st.integers(1, 3000), tx=st.integers(1, 60), months=st.integers(1, 30), rate=st.floats(0, 0.5),
       seed=st.integers(0, 2**32), preset=st.sampled_from(['seed', 'metro_manila']))
@example(meters=1, tx=2, months=1, rate=0.0, seed=0, preset='seed')   # found by this test: a first transformer with no meter
@example(meters=5, tx=4, months=3, rate=0.5, seed=0, preset='metro_manila')   # found by this test: -0 in memory, 0 streamed
def test_streamed_equals_in_memory(tmp_path_factory, meters, tx, months, rate, seed, preset):
    cfg = GeneratorConfig.from_preset(preset, num_meters=meters, num_transformers=tx, num_months=months, anomaly_rate=rate, random_seed=seed)
    d = tmp_path_factory.mktemp('prop')
    assert hashes(generate_dataset(cfg, d / 'streamed', workers=2)) == hashes(save_dataset(SyntheticDataPipeline(cfg).generate_all(), cfg, d / 'mem'))

def _stderr_on_a_terminal(argv):
    "Run argv with stderr on a pseudo-terminal; return what it wrote there."
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 100, 0, 0))   # an 100-column terminal
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try: data = os.read(leader, 65536)
        except OSError: break
        if not data: break
        chunks.append(data)
    p.wait(); os.close(leader)
    assert p.returncode == 0
    return b''.join(chunks).decode(errors='replace')

def test_progress_bar_on_a_terminal_only(tmp_path):
    base = [sys.executable, '-m', 'ghostload_nb', 'generate', '--num-meters', '70000', '--num-transformers', '50', '--num-months', '2']
    shown = _stderr_on_a_terminal(base + ['--output-dir', str(tmp_path / 'a')])
    assert 'ghostload' in shown and '70.0k/70.0k' in shown and 'meter' in shown, shown[-300:]
    assert _stderr_on_a_terminal(base + ['--output-dir', str(tmp_path / 'b'), '--quiet']) == ''
    r = subprocess.run(base + ['--output-dir', str(tmp_path / 'c')], capture_output=True, text=True)   # stderr not a terminal
    assert r.returncode == 0 and r.stderr == ''
