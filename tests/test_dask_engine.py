"The Dask engine against the local engine, on a 2-worker LocalCluster (processes, loopback) reached by its address."
import copy, hashlib, logging, os, re, socket, subprocess
from pathlib import Path
import pytest

import dask
import distributed      # the dev extra installs dask[dataframe] and distributed; no skip if they are missing
import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq

from ghostload_nb.config import GeneratorConfig, BLOCK_SIZE
from ghostload_nb.grid import TransformerGenerator
from ghostload_nb.meters import MeterPlan
from ghostload_nb.stream import DatasetWriter, generate_dataset
from ghostload_nb.dask_engine import run_dask, dask_client, check_shared_folder
from conftest import ghostload_exe

# a little over two blocks, Metro Manila (hot spots, onsets, look-alikes), few months: three tasks per run
CFG = GeneratorConfig.from_preset('metro_manila', num_meters=2 * BLOCK_SIZE + 3_000, num_transformers=1_200, num_months=3)


@pytest.fixture(scope='module')
def scheduler():
    "One LocalCluster (2 worker processes, 1 thread each, loopback) for the module, used through its address."
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host='127.0.0.1',
                                  dashboard_address=None, scheduler_kwargs={'dashboard_address': '127.0.0.1:0'},
                                  silence_logs=logging.CRITICAL) as cluster:
        yield cluster.scheduler_address


def file_hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob('*')) if p.is_file()}


@pytest.fixture(scope='module')
def runs(scheduler, tmp_path_factory):
    "The same run (CSV and Parquet) by the local engine and by the Dask engine on the module's cluster."
    tmp = tmp_path_factory.mktemp('runs')
    return {'local': generate_dataset(CFG, tmp / 'local', formats='both', engine='local', workers=2),
            'dask': generate_dataset(CFG, tmp / 'dask', formats='both', engine='dask', scheduler=scheduler)}


def test_byte_identical_to_local_engine(runs):
    local, dsk = file_hashes(runs['local']), file_hashes(runs['dask'])
    parts = [f"{t}.parquet/part-{b:05d}.parquet" for t in ('meter_consumption', 'meter_month_labels') for b in range(3)]
    assert set(parts) <= set(dsk)                                      # three blocks: three part files per big table
    assert {'meter_consumption.csv', 'meter_month_labels.csv', 'manifest.json', 'transformers.geojson'} <= set(dsk)
    assert dsk == local


def test_parquet_reads_back_the_same_everywhere(runs):
    folder = runs['dask']
    def plain(df): return df.reset_index(drop=True).astype({'meter_id': str})
    for table in ('meter_consumption', 'meter_month_labels'):
        by_pandas = plain(pd.read_parquet(folder / f'{table}.parquet'))
        by_arrow = plain(pq.read_table(folder / f'{table}.parquet').to_pandas())
        ddf = dd.read_parquet(folder / f'{table}.parquet')
        assert ddf.npartitions == 3
        by_dask = plain(ddf.compute())
        pd.testing.assert_frame_equal(by_arrow, by_pandas)
        pd.testing.assert_frame_equal(by_dask, by_pandas, check_dtype=False, check_categorical=False)
        assert len(by_pandas) == CFG.num_meters * (1 if table == 'meter_consumption' else CFG.num_months)
    # and the values are the CSV's (months as 'YYYY-MM', categories as text)
    csv = pd.read_csv(folder / 'meter_month_labels.csv', dtype={'meter_id': str})
    long = plain(pd.read_parquet(folder / 'meter_month_labels.parquet'))
    pd.testing.assert_frame_equal(long.assign(month=long.month.dt.strftime('%Y-%m')), csv, check_dtype=False)
    wide = plain(pd.read_parquet(folder / 'meter_consumption.parquet'))
    wide_csv = pd.read_csv(folder / 'meter_consumption.csv', dtype={'meter_id': str})
    pd.testing.assert_frame_equal(wide.astype({'customer_class': str, 'barangay': str, 'transformer_id': str}), wide_csv,
                                  check_dtype=False)


def test_default_local_cluster_same_bytes(tmp_path):
    "Without `scheduler`, run_dask starts (and closes) its own 2-worker LocalCluster; one block here."
    cfg = GeneratorConfig(num_meters=5_000, num_transformers=40, num_months=4)
    a = generate_dataset(cfg, tmp_path / 'local', formats='both', engine='local')
    b = generate_dataset(cfg, tmp_path / 'dask', formats='both', engine='dask', workers=2)
    assert file_hashes(b) == file_hashes(a)


def closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]      # released on exit: nothing listens there


def test_bad_scheduler_address_is_a_clear_value_error(tmp_path):
    port = closed_port()
    with dask.config.set({'distributed.comm.timeouts.connect': '2s'}):
        with pytest.raises(ValueError, match=rf"^scheduler='tcp://127\.0\.0\.1:{port}': cannot connect"):
            generate_dataset(GeneratorConfig(), tmp_path / 'out', engine='dask', scheduler=f'tcp://127.0.0.1:{port}')
        with pytest.raises(ValueError, match=r"^scheduler='nonsense': cannot connect"):
            generate_dataset(GeneratorConfig(), tmp_path / 'out', engine='dask', scheduler='nonsense')
    assert list(tmp_path.iterdir()) == []                              # the temporary dataset folder is gone too


def test_without_distributed_one_line_value_error(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__('sys').modules, 'distributed', None)   # `import distributed` now fails
    with pytest.raises(ValueError) as e:
        generate_dataset(GeneratorConfig(), tmp_path / 'out', engine='dask')
    assert str(e.value) == "engine='dask' needs the dask extra: pip install 'ghostload_nb[dask]'"
    assert list(tmp_path.iterdir()) == []


def writer_for(cfg, folder, formats):
    tx, counts, rng = TransformerGenerator(cfg).layout()
    plan = MeterPlan(cfg, tx, counts)
    folder.mkdir(parents=True)
    return plan, DatasetWriter(plan, folder, formats, (tx, counts, rng))


def test_worker_exceptions_keep_their_type(scheduler, tmp_path):
    cfg = GeneratorConfig(num_meters=3_000, num_transformers=20, num_months=3)
    plan, writer = writer_for(cfg, tmp_path / 'seed', ('csv',))
    plan.config = copy.copy(cfg)
    plan.config.random_seed = -1                                        # numpy's SeedSequence refuses it, on the worker
    with pytest.raises(ValueError, match='non-negative'):
        run_dask(plan, writer, scheduler=scheduler)
    plan, writer = writer_for(cfg, tmp_path / 'stray', ('parquet',))
    (tmp_path / 'stray' / 'meter_consumption.parquet').write_text('a file where a block makes its part folder')
    with pytest.raises(FileExistsError):
        run_dask(plan, writer, scheduler=scheduler)


def test_workers_that_cannot_see_the_folder_are_refused(scheduler, tmp_path, monkeypatch):
    (tmp_path / 'here' / 'out').mkdir(parents=True)
    (tmp_path / 'elsewhere').mkdir()
    monkeypatch.chdir(tmp_path / 'here')
    with dask_client(scheduler=scheduler) as client:
        cwd = client.run(os.getcwd)
        check_shared_folder(client, tmp_path / 'here' / 'out', scheduler)    # absolute path: every worker sees it
        client.run(os.chdir, str(tmp_path / 'elsewhere'))                     # now 'out' means another folder to them
        try:
            with pytest.raises(ValueError, match=rf"^scheduler='{re.escape(scheduler)}': worker\(s\) tcp://.* cannot see the output folder out"):
                check_shared_folder(client, 'out', scheduler)
        finally:
            for worker, d in cwd.items(): client.run(os.chdir, d, workers=[worker])
    assert list((tmp_path / 'here' / 'out').iterdir()) == []                 # the probe file is removed


def test_failed_connection_leaves_no_client_behind():
    "A half-made Client left to the garbage collector closes itself whenever it is collected, which deadlocks if that is"
    "while another Client starts (both take distributed's LoopRunner lock): dask_client must dispose of it at once."
    import gc
    def live_clients(): return [c for c in gc.get_objects() if isinstance(c, distributed.Client) and c.status not in ('closed', 'newly-created')]
    assert live_clients() == []
    gc.disable()                                  # only an explicit collection (dask_client's) may clean up
    try:
        with pytest.raises(ValueError, match="scheduler='nonsense': cannot connect"):
            with dask_client(scheduler='nonsense'): pass
        assert live_clients() == []
    finally: gc.enable()


# ---- the console script (`ghostload generate --engine dask`) -------------------------------------------------------

def cli(*args, env=None):
    return subprocess.run([ghostload_exe(), 'generate', *map(str, args)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def test_cli_engine_dask_with_scheduler_same_bytes(scheduler, tmp_path):
    flags = ['--preset', 'metro_manila', '--num-meters', BLOCK_SIZE + 500, '--num-transformers', 600, '--num-months', 2,
             '--format', 'both', '-q']
    a = cli(*flags, '--output-dir', tmp_path / 'local')
    b = cli(*flags, '--output-dir', tmp_path / 'dask', '--engine', 'dask', '--scheduler', scheduler)
    assert (a.returncode, a.stdout, a.stderr) == (0, '', '')
    assert (b.returncode, b.stdout, b.stderr) == (0, '', '')                  # -q: quiet, no distributed log lines either
    assert 'meter_month_labels.parquet/part-00001.parquet' in file_hashes(tmp_path / 'dask')
    assert file_hashes(tmp_path / 'dask') == file_hashes(tmp_path / 'local')


def test_cli_bad_scheduler_exits_2_in_one_line(tmp_path):
    port = closed_port()
    r = cli('--engine', 'dask', '--scheduler', f'tcp://127.0.0.1:{port}', '--output-dir', tmp_path / 'out',
            env={'DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT': '2s'})
    assert r.returncode == 2 and r.stdout == ''
    assert len(r.stderr.strip().splitlines()) == 1 and 'Traceback' not in r.stderr
    assert f"scheduler='tcp://127.0.0.1:{port}': cannot connect" in r.stderr
    assert list(tmp_path.iterdir()) == []
