"""Faults while a dataset is being written: a full disk or an I/O error at every step, and a process killed with SIGKILL
at every step. Afterwards the target folder is the previous complete dataset (byte for byte) or absent, and the next run
removes what the failed one left behind."""
import errno, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
import ghostload_nb.pipeline as pl
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline, validate

def files_of(d: Path) -> dict:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob('*')) if p.is_file()} if d.exists() else None

def leftovers(parent: Path, name: str) -> list:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f'.{name}.'))

def make(tmp_path, seed, meters=120):
    cfg = GeneratorConfig(random_seed=seed, num_meters=meters, num_transformers=6, num_months=3, output_dir=tmp_path / 'ds')
    return cfg, SyntheticDataPipeline(cfg).generate_all()

# ---- disk full / I/O errors, in-process -------------------------------------------------------------------------------

def _enospc(what):
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), what)

def inject(monkeypatch, point):
    "Make the write fail at `point`: half of the file written, then ENOSPC (or EIO/EXDEV for fsync/rename)."
    if point.endswith('.csv'):
        orig = pl.write_csv
        def write_csv(df, path, *a, **k):
            if Path(path).name == point:
                Path(path).write_bytes(b'meter_id,transformer_id\nMTR_0000')   # a torn write
                raise _enospc(str(path))
            orig(df, path, *a, **k)
        monkeypatch.setattr(pl, 'write_csv', write_csv)
    elif point in ('transformers.geojson', 'generation_report.txt', 'manifest.json'):
        orig = Path.write_text
        def write_text(self, data, *a, **k):
            if self.name == point:
                orig(self, data[:len(data) // 2], *a, **k)
                raise _enospc(str(self))
            return orig(self, data, *a, **k)
        monkeypatch.setattr(Path, 'write_text', write_text)
    elif point == 'fsync':
        def fsync(path): raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
        monkeypatch.setattr(pl, '_fsync', fsync)
    elif point in ('rename new into place', 'rename old out of the way'):
        orig = Path.rename
        def rename(self, target):
            moving_new = '.tmp-' in self.name
            if (point == 'rename new into place') == moving_new: raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(self))
            return orig(self, target)
        monkeypatch.setattr(Path, 'rename', rename)
    else: raise ValueError(point)

POINTS = ['transformers.csv', 'meter_consumption.csv', 'anomaly_labels.csv', 'meter_month_labels.csv', 'transformer_energy.csv',
          'transformers.geojson',
          'generation_report.txt', 'manifest.json', 'fsync', 'rename old out of the way', 'rename new into place']

WRITE_FAULTS = [(p, prev) for p in POINTS for prev in (False, True) if prev or p != 'rename old out of the way']

@pytest.mark.parametrize('point, previous', WRITE_FAULTS, ids=[f"{p}-{'replacing' if r else 'fresh'}" for p, r in WRITE_FAULTS])
def test_write_error_leaves_previous_or_nothing(tmp_path, monkeypatch, point, previous):
    out = tmp_path / 'ds'
    if previous:
        cfg0, outputs0 = make(tmp_path, seed=1)
        pl.save_dataset(outputs0, cfg0)
    before = files_of(out)
    cfg, outputs = make(tmp_path, seed=2)
    with monkeypatch.context() as m:
        inject(m, point)
        with pytest.raises(OSError) as e: pl.save_dataset(outputs, cfg)
    assert e.value.errno in (errno.ENOSPC, errno.EIO, errno.EXDEV)
    assert files_of(out) == before                                    # previous dataset byte for byte, or still absent
    assert (before is None) == (not out.exists())
    assert leftovers(tmp_path, 'ds') == []                            # the failed run cleaned up after itself
    if previous: assert validate(out).ok
    pl.save_dataset(outputs, cfg)                                     # the next run succeeds
    assert validate(out).ok and files_of(out) != before

# ---- the same faults in the streaming writer (the CLI's path), in-process -----------------------------------------------

import ghostload_nb.stream as st

STREAM_POINTS = ['meter_consumption.csv', 'meter_month_labels.csv', 'anomaly_labels.csv', 'transformers.geojson', 'parquet part',
                 'block in a worker thread']

def inject_stream(monkeypatch, point):
    "Fail the streaming writer at `point`: ENOSPC half-way through a file, or an error inside a block's worker."
    if point.endswith('.csv') or point.endswith('.geojson'):
        orig = st._HashedFile.write
        def write(self, data):
            if self.path.name == point and self.size > 0:
                orig(self, data[:len(data) // 2]); raise _enospc(str(self.path))
            return orig(self, data)
        monkeypatch.setattr(st._HashedFile, 'write', write)
    elif point == 'parquet part':
        def write_part(folder, name, b, table):
            (folder / f"{name}.parquet").mkdir(exist_ok=True)
            (folder / f"{name}.parquet" / f"part-{b:05d}.parquet").write_bytes(b'PAR1')
            raise _enospc(str(folder))
        monkeypatch.setattr(st, 'write_part', write_part)
    elif point == 'block in a worker thread':
        orig = st.meter_block
        def meter_block(plan, b):
            if b == 1: raise MemoryError("simulated: a worker ran out of memory")
            return orig(plan, b)
        monkeypatch.setattr(st, 'meter_block', meter_block)

STREAM_FAULTS = [(p, prev) for p in STREAM_POINTS for prev in (False, True)]

@pytest.mark.parametrize('point, previous', STREAM_FAULTS, ids=[f"{p}-{'replacing' if r else 'fresh'}" for p, r in STREAM_FAULTS])
def test_streaming_write_error_leaves_previous_or_nothing(tmp_path, monkeypatch, point, previous):
    out = tmp_path / 'ds'
    cfg = GeneratorConfig(random_seed=2, num_meters=140_000, num_transformers=300, num_months=2)   # three blocks
    if previous: st.generate_dataset(GeneratorConfig(random_seed=1, num_meters=100, num_transformers=5, num_months=2), out)
    before = files_of(out)
    with monkeypatch.context() as m:
        inject_stream(m, point)
        with pytest.raises((OSError, MemoryError)):
            st.generate_dataset(cfg, out, formats='both', workers=2)
    assert files_of(out) == before and (before is None) == (not out.exists())
    assert leftovers(tmp_path, 'ds') == []
    st.generate_dataset(cfg, out, formats='both', workers=2)          # the next run succeeds
    assert validate(out).ok and files_of(out) != before

def test_next_run_removes_stale_temporary_folders(tmp_path):
    cfg, outputs = make(tmp_path, seed=3)
    for name in ('.ds.tmp-999999999-abc', '.ds.tmp-oldformat', '.ds.old-999999999-def'):
        (tmp_path / name).mkdir(); (tmp_path / name / 'meter_consumption.csv').write_text('half')
    (tmp_path / '.other.tmp-1-x').mkdir()                             # another dataset's: not ours to touch
    pl.save_dataset(outputs, cfg)
    assert leftovers(tmp_path, 'ds') == [] and (tmp_path / '.other.tmp-1-x').exists()

def test_temporary_folder_of_a_live_run_is_kept(tmp_path):
    "Two runs into one place: the second does not delete the first's work in progress."
    live = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    try:
        (tmp_path / f'.ds.tmp-{live.pid}-abc').mkdir()
        cfg, outputs = make(tmp_path, seed=3)
        pl.save_dataset(outputs, cfg)
        assert leftovers(tmp_path, 'ds') == [f'.ds.tmp-{live.pid}-abc']
    finally: live.kill(); live.wait()

def test_dataset_folder_gets_normal_permissions(tmp_path):
    cfg, outputs = make(tmp_path, seed=3)
    pl.save_dataset(outputs, cfg)
    umask = os.umask(0); os.umask(umask)
    assert (tmp_path / 'ds').stat().st_mode & 0o777 == 0o777 & ~umask

# ---- SIGKILL, in a child process paused at each step -------------------------------------------------------------------

CHILD = r'''
import sys, time
from pathlib import Path
import ghostload_nb.pipeline as pl
point = sys.argv[1]
target = Path(sys.argv[sys.argv.index('--output-dir') + 1]).absolute()
def ours(tmp):   # the run's own temporary folder (the size estimate first writes a small sample elsewhere)
    return Path(tmp).name.startswith(f'.{target.name}.tmp-') and Path(tmp).parent == target.parent
def pause():
    print('PAUSED', flush=True); time.sleep(600)
if point.startswith('after '):   # the CLI streams: pause once the named file is complete
    import ghostload_nb.stream as st
    name, orig = point[6:], st._HashedFile.close
    def close(self):
        r = orig(self)
        if self.path.name == name and ours(self.path.parent): pause()
        return r
    st._HashedFile.close = close
elif point == 'before the swap':
    orig_swap = pl._swap_into_place
    pl._swap_into_place = lambda tmp, out: pause() if ours(tmp) else orig_swap(tmp, out)
elif point == 'between the two renames':
    orig, target_parent = Path.rename, target.parent
    def rename(self, target):
        r = orig(self, target)
        if Path(target).name == 'previous' and Path(target).parent.parent == target_parent: pause()
        return r
    Path.rename = rename
from ghostload_nb.cli import main
sys.exit(main(sys.argv[2:]))
'''

GEN = ['generate', '--num-meters', '150', '--num-transformers', '5', '--num-months', '3', '-q', '--overwrite']

def run_and_kill(point, out):
    p = subprocess.Popen([sys.executable, '-c', CHILD, point, *GEN, '--seed', '2', '--output-dir', str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try: assert p.stdout.readline().strip() == 'PAUSED', p.stderr.read()
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
    assert p.returncode == -signal.SIGKILL

KILL_POINTS = ['after transformers.csv', 'after meter_consumption.csv', 'after anomaly_labels.csv', 'before the swap',
               'between the two renames']

KILL_FAULTS = [(p, prev) for p in KILL_POINTS for prev in (False, True) if prev or p != 'between the two renames']

@pytest.mark.parametrize('point, previous', KILL_FAULTS, ids=[f"{p}-{'replacing' if r else 'fresh'}" for p, r in KILL_FAULTS])
def test_sigkill_leaves_previous_or_nothing(run_cli, tmp_path, point, previous):
    out = tmp_path / 'ds'
    if previous: assert run_cli('generate', *GEN[1:], '--seed', '1', '--output-dir', out).returncode == 0
    before = files_of(out)
    run_and_kill(point, out)
    assert leftovers(tmp_path, 'ds'), "the killed run left its temporary folder (nothing could clean it)"
    if point == 'between the two renames':
        assert not out.exists()                                       # absent; the previous one is parked
    else:
        assert files_of(out) == before                                # previous byte for byte, or still absent
    # a next run without --overwrite: where there was a dataset, it is there again (a parked one is put back) and kept
    r = run_cli('generate', *GEN[1:-1], '--seed', '3', '--output-dir', out)
    if previous: assert r.returncode == 2 and '--overwrite' in r.stderr and files_of(out) == before
    else: assert r.returncode == 0
    # the next run that writes removes the killed run's debris
    assert run_cli('generate', *GEN[1:], '--seed', '4', '--output-dir', out).returncode == 0
    assert leftovers(tmp_path, 'ds') == [] and run_cli('validate', out).returncode == 0

def test_sigkill_of_the_real_command_while_it_writes(run_cli, tmp_path):
    "No hooks: kill a real `ghostload generate` of a large dataset as soon as its temporary folder has a file in it."
    out = tmp_path / 'ds'
    assert run_cli('generate', '--num-meters', 200, '--num-transformers', 5, '--num-months', 2, '-q', '--output-dir', out).returncode == 0
    before = files_of(out)
    p = subprocess.Popen([sys.executable, '-m', 'ghostload_nb', 'generate', '--num-meters', '400000', '--num-transformers', '400',
                          '--num-months', '24', '--seed', '5', '--overwrite', '-q', '--output-dir', str(out)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, seen = time.monotonic() + 120, None
    while time.monotonic() < deadline and p.poll() is None:
        tmps = [t for t in tmp_path.glob('.ds.tmp-*') if any(t.iterdir())]
        if tmps: seen = tmps[0]; break
        time.sleep(0.002)
    os.kill(p.pid, signal.SIGKILL); p.wait(timeout=30)
    assert seen is not None and p.returncode == -signal.SIGKILL, "the command finished before it could be killed"
    assert files_of(out) == before
    assert run_cli('generate', '--num-meters', 200, '--num-transformers', 5, '--num-months', 2, '-q', '--overwrite',
                   '--output-dir', out).returncode == 0
    assert leftovers(tmp_path, 'ds') == [] and run_cli('validate', out).returncode == 0
