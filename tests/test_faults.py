"""Faults while a dataset is being written: a full disk or an I/O error at every step, and a process killed with SIGKILL
at every step. Afterwards the target folder is the previous complete dataset (byte for byte) or absent, and the next run
removes what the failed one left behind."""
import errno, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
import ghostload_nb.pipeline as pl
import ghostload_nb.folder as fo
import ghostload_nb.manifest as mf
import ghostload_nb.block_output as bo
import ghostload_nb.writer as wr
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

def _torn_write(monkeypatch, point):
    "The writer's file named `point` gets half of a write, then ENOSPC (every CSV and the GeoJSON go through HashedFile)."
    orig = mf.HashedFile.write
    def write(self, data):
        if self.path.name == point and self.size > 0:
            orig(self, data[:len(data) // 2]); raise _enospc(str(self.path))
        return orig(self, data)
    monkeypatch.setattr(mf.HashedFile, 'write', write)

def inject(monkeypatch, point):
    "Make the write fail at `point`: half of the file written, then ENOSPC (or EIO/EXDEV for fsync/rename)."
    if point.endswith('.csv') or point == 'transformers.geojson': _torn_write(monkeypatch, point)
    elif point in ('generation_report.txt', 'manifest.json'):
        orig = Path.write_text
        def write_text(self, data, *a, **k):
            if self.name == point:
                orig(self, data[:len(data) // 2], *a, **k)
                raise _enospc(str(self))
            return orig(self, data, *a, **k)
        monkeypatch.setattr(Path, 'write_text', write_text)
    elif point == 'fsync':
        def fsync_path(path): raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
        monkeypatch.setattr(fo, 'fsync_path', fsync_path)
    elif point == 'exchange into place':                              # renameat2: NOREPLACE and EXCHANGE fail
        def rename2(src, dst, flags):
            if flags == fo._RENAME_NOREPLACE and os.path.lexists(dst): raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(dst))
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(src))
        monkeypatch.setattr(fo, '_rename2', rename2)
    elif point in ('rename new into place', 'rename old out of the way'):   # no renameat2: the two renames
        monkeypatch.setattr(fo, '_RENAMEAT2', None)
        orig = os.rename
        def rename(src, dst, *a, **k):
            moving_new = '.tmp-' in Path(src).name
            if (point == 'rename new into place') == moving_new: raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(src))
            return orig(src, dst, *a, **k)
        monkeypatch.setattr(os, 'rename', rename)
    else: raise ValueError(point)

POINTS = ['transformers.csv', 'meter_consumption.csv', 'anomaly_labels.csv', 'meter_month_labels.csv', 'transformer_energy.csv',
          'transformers.geojson',
          'generation_report.txt', 'manifest.json', 'fsync', 'exchange into place', 'rename old out of the way',
          'rename new into place']

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
    if point.endswith('.csv') or point.endswith('.geojson'): _torn_write(monkeypatch, point)
    elif point == 'parquet part':
        def write_part(folder, name, b, table):
            (folder / f"{name}.parquet").mkdir(exist_ok=True)
            (folder / f"{name}.parquet" / f"part-{b:05d}.parquet").write_bytes(b'PAR1')
            raise _enospc(str(folder))
        monkeypatch.setattr(bo, 'write_part', write_part); monkeypatch.setattr(wr, 'write_part', write_part)
    elif point == 'block in a worker thread':
        orig = bo.meter_block
        def meter_block(plan, b):
            if b == 1: raise MemoryError("simulated: a worker ran out of memory")
            return orig(plan, b)
        monkeypatch.setattr(bo, 'meter_block', meter_block)

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
    for name in ('.ds.tmp-999999999-abc_efgh', '.ds.old-999999999-defghijk'):
        (tmp_path / name).mkdir(); (tmp_path / name / 'meter_consumption.csv').write_text('half')
    (tmp_path / '.other.tmp-1-abcdefgh').mkdir()                      # another dataset's: not ours to touch
    (tmp_path / '.ds.tmp-notes').mkdir()                              # not our name format: the user's
    pl.save_dataset(outputs, cfg)
    assert leftovers(tmp_path, 'ds') == ['.ds.tmp-notes'] and (tmp_path / '.other.tmp-1-abcdefgh').exists()

def test_second_run_into_a_folder_being_written_is_refused(tmp_path):
    "Two runs into one place: the second is refused (naming the first) and does not touch the first's work in progress."
    code = ("import sys; import ghostload_nb.folder as fo\n"
            "with fo.dataset_folder(sys.argv[1]) as tmp:\n"
            "    (tmp / 'work.csv').write_text('in progress'); print('HOLDING', flush=True); sys.stdin.readline()\n")
    live = subprocess.Popen([sys.executable, '-c', code, str(tmp_path / 'ds')], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout.readline().strip() == 'HOLDING'
        cfg, outputs = make(tmp_path, seed=3)
        with pytest.raises(ValueError, match=f"another ghostload run \\(pid {live.pid} on host "): pl.save_dataset(outputs, cfg)
        (work,) = [tmp_path / n for n in leftovers(tmp_path, 'ds') if '.tmp-' in n]
        assert (work / 'work.csv').read_text() == 'in progress'
    finally: live.kill(); live.wait()

def test_dataset_folder_gets_normal_permissions(tmp_path):
    cfg, outputs = make(tmp_path, seed=3)
    pl.save_dataset(outputs, cfg)
    umask = os.umask(0); os.umask(umask)
    assert (tmp_path / 'ds').stat().st_mode & 0o777 == 0o777 & ~umask

# ---- SIGKILL, in a child process paused at each step -------------------------------------------------------------------

CHILD = r"""
import os, sys, time
from pathlib import Path
import ghostload_nb.folder as fo
point = sys.argv[1]
target = Path(sys.argv[sys.argv.index('--output-dir') + 1]).absolute()
def ours(tmp):   # the run's own temporary folder (the size estimate first writes a small sample elsewhere)
    return Path(tmp).name.startswith(f'.{target.name}.tmp-') and Path(tmp).parent == target.parent
def pause():
    print('PAUSED', flush=True); time.sleep(600)
if point.startswith('after '):   # the CLI streams: pause once the named file is complete
    import ghostload_nb.manifest as mf
    cls = mf.HashedFile
    name, orig = point[6:], cls.close
    def close(self):
        r = orig(self)
        if self.path.name == name and ours(self.path.parent): pause()
        return r
    cls.close = close
elif point in ('before the swap', 'once swapped in'):
    orig_install = fo._install
    def install(src, dst, why_not, park, **kw):
        if point == 'before the swap' and ours(src): pause()
        r = orig_install(src, dst, why_not, park, **kw)
        if ours(src): pause()
        return r
    fo._install = install
elif point == 'in the exchange':        # the old dataset has just taken the temporary name, the new one the target's
    orig_rename2 = fo._rename2
    def rename2(src, dst, flags):
        r = orig_rename2(src, dst, flags)
        if r and flags == fo._RENAME_EXCHANGE and Path(dst) == target: pause()
        return r
    fo._rename2 = rename2
elif point == 'between the two renames':   # no renameat2 (other systems): the old dataset parked, the new not yet in place
    fo._RENAMEAT2 = None
    orig_rename = os.rename
    def rename(src, dst, *a, **k):
        r = orig_rename(src, dst, *a, **k)
        if Path(src) == target: pause()
        return r
    os.rename = rename
from ghostload_nb.cli import main
sys.exit(main(sys.argv[2:]))
"""

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
               'in the exchange', 'between the two renames', 'once swapped in']
REPLACING_ONLY = ('in the exchange', 'between the two renames')     # a fresh run has no old dataset to exchange or park
NEW_IN_PLACE = ('in the exchange', 'once swapped in')                 # killed once the new dataset has the target's name

KILL_FAULTS = [(p, prev) for p in KILL_POINTS for prev in (False, True) if prev or p not in REPLACING_ONLY]

@pytest.mark.parametrize('point, previous', KILL_FAULTS, ids=[f"{p}-{'replacing' if r else 'fresh'}" for p, r in KILL_FAULTS])
def test_sigkill_leaves_previous_or_nothing(run_cli, tmp_path, point, previous):
    out = tmp_path / 'ds'
    if previous: assert run_cli('generate', *GEN[1:], '--seed', '1', '--output-dir', out).returncode == 0
    before = files_of(out)
    if point in NEW_IN_PLACE:                                         # what the killed run writes, made uninterrupted elsewhere
        assert run_cli('generate', *GEN[1:], '--seed', '2', '--output-dir', tmp_path / 'ref' / 'ds').returncode == 0
        expected = files_of(tmp_path / 'ref' / 'ds')
    else: expected = before
    run_and_kill(point, out)
    assert leftovers(tmp_path, 'ds'), "the killed run left something behind (its temporary folder or lock file)"
    if point == 'between the two renames':
        assert not out.exists()                                       # only here, and only without renameat2
        r = run_cli('validate', out)                                  # any command that opens the folder puts it back
        assert r.returncode == 0, r.stdout + r.stderr
    assert files_of(out) == expected                                  # previous byte for byte, still absent, or the new one whole
    # a next run without --overwrite: where there was a dataset, it is kept
    r = run_cli('generate', *GEN[1:-1], '--seed', '3', '--output-dir', out)
    if expected is not None: assert r.returncode == 2 and '--overwrite' in r.stderr and files_of(out) == expected
    else: assert r.returncode == 0
    # the next run that writes removes the killed run's debris
    assert run_cli('generate', *GEN[1:], '--seed', '4', '--output-dir', out).returncode == 0
    assert leftovers(tmp_path, 'ds') == [] and run_cli('validate', out).returncode == 0

# ---- SIGKILL at every file-system step of the folder writer -----------------------------------------------------------

FOLDER_CHILD = r"""
import importlib.util, os, sys, time, fcntl
from pathlib import Path
spec = importlib.util.spec_from_file_location('folder', sys.argv[1])      # the module alone (standard library only): fast
fo = importlib.util.module_from_spec(spec); spec.loader.exec_module(fo)
out, stop, mode, tag, intruder = Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6] == '1'
if mode == 'fallback': fo._RENAMEAT2 = None
n = 0
def step(what):
    global n
    if n == stop: print(f'PAUSED {what}', flush=True); time.sleep(600)
    n += 1
def wrap(owner, name):
    orig = getattr(owner, name)
    def f(*a, **k):
        step(f'before {name}'); r = orig(*a, **k); step(f'after {name}'); return r
    setattr(owner, name, f)
for name in ('rename', 'replace', 'mkdir', 'rmdir', 'unlink', 'chmod', 'fsync', 'ftruncate', 'pwrite'): wrap(os, name)
wrap(fo, '_rename2'); wrap(fcntl, 'flock')
try:
    with fo.dataset_folder(out, overwrite=True) as tmp:
        for name in ('meter_consumption.csv', 'anomaly_labels.csv', 'generation_report.txt', 'manifest.json'):
            (tmp / name).write_text(f'{name} of run {tag}\n' * 50); step(f'wrote {name}')
        if intruder:                                    # a user puts their own folder at the target, just before the end
            if stop < 0: print(f'INTRUDER {n}')
            out.mkdir(); (out / 'thesis.txt').write_text('mine')
            step('user folder made')
except ValueError as e: print(f'REFUSED {n} {e}', flush=True); sys.exit(0)
print(f'DONE {n}', flush=True)
"""

MODULE = Path(fo.__file__).read_text()      # one copy for every child, read once

def folder_run(out: Path, stop: int, mode: str, tag: str, intruder: bool = False) -> str:
    "Run the folder writer in a child; stop it with SIGKILL at step `stop` (-1: let it finish). Returns its last line."
    module = out.parent.parent / 'folder_module.py'
    if not module.exists(): module.write_text(MODULE)
    p = subprocess.Popen([sys.executable, '-c', FOLDER_CHILD, str(module), str(out), str(stop), mode, tag, str(int(intruder))],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline().strip()
    while line.startswith('INTRUDER'): line = p.stdout.readline().strip() + f' ({line})'
    if line.startswith('PAUSED'): os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    assert line, p.stderr.read()
    return line

@pytest.mark.parametrize('mode', ['exchange', 'fallback'])
@pytest.mark.parametrize('previous', [False, True], ids=['fresh', 'replacing'])
def test_sigkill_at_every_step_of_the_folder_writer(tmp_path, mode, previous):
    """Kill the writer at each of its file-system steps (before and after every rename, exchange, mkdir, chmod, fsync,
    unlink, lock call and file written). The target is at every point the previous dataset, absent (fresh run) or the new
    one whole; missing only between the two renames of the fallback, and then put back by `restore_interrupted`. Another
    dataset beside it and that dataset's parked leftovers are never touched; the next run succeeds and leaves no debris."""
    ref = tmp_path / 'ref'; ref.mkdir()
    assert folder_run(ref / 'ds', -1, mode, 'new').startswith('DONE')
    new = files_of(ref / 'ds')
    assert folder_run(ref / 'old', -1, mode, 'old').startswith('DONE')
    old = files_of(ref / 'old')
    count = tmp_path / 'count'; count.mkdir()                         # how many steps this scenario has
    if previous: folder_run(count / 'ds', -1, mode, 'old')
    steps = int(folder_run(count / 'ds', -1, mode, 'new').split()[1])
    killed, missing, points = 0, [], []
    for k in range(steps):
        d = tmp_path / f'k{k}'; d.mkdir()
        out = d / 'ds'
        if previous: assert folder_run(out, -1, mode, 'old').startswith('DONE')
        (d / 'other').mkdir(); (d / 'other' / 'manifest.json').write_text('{}')                 # a neighbour and its parked data
        (d / '.other.old-999999999-abcdefgh' / 'previous').mkdir(parents=True)
        (d / '.other.old-999999999-abcdefgh' / 'previous' / 'manifest.json').write_text('{"parked": 1}')
        neighbours = {n: files_of(d / n) for n in ('other', '.other.old-999999999-abcdefgh')}
        line = folder_run(out, k, mode, 'new')
        assert line.startswith('PAUSED'), line
        killed += 1; points.append(line.removeprefix('PAUSED '))
        state = files_of(out)
        if state is None and previous:
            missing.append(line)
            assert mode == 'fallback', f"target missing after a kill at step {k} ({line})"
            assert fo.restore_interrupted(out) and not fo.lock_path(out).exists()
            state = files_of(out)
        assert state in ((old if previous else None), new), f"step {k} ({line}): target is neither the old nor the new dataset"
        assert {n: files_of(d / n) for n in neighbours} == neighbours, f"step {k} ({line}): a neighbour was touched"
        assert folder_run(out, -1, mode, 'next').startswith('DONE')                               # the lock is free again
        assert sorted(p.name for p in d.iterdir()) == ['.other.old-999999999-abcdefgh', 'ds', 'other'], f"step {k} ({line})"
        assert files_of(out) == {n: v.replace(b'run new', b'run next') for n, v in new.items()}
    print(f"\n{mode}, {'replacing' if previous else 'fresh'}: killed at {killed} steps ({'; '.join(points)}); "
          f"target missing, then restored, at {len(missing)}: {missing}")
    if mode == 'exchange' or not previous: assert missing == []
    else: assert missing                                              # the fallback's gap is really exercised

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

@pytest.mark.parametrize('mode', ['exchange', 'fallback'])
def test_sigkill_at_every_step_with_a_user_folder_put_at_the_target(tmp_path, mode):
    """A user makes their own folder at the target just before the writer's final steps, and the writer is killed at
    each step. Once the folder exists it is never lost: after `restore_interrupted` it is at the target with its file
    (a killed run that had swapped it out gives it back), and the next run refuses to replace it."""
    count = tmp_path / 'count'; count.mkdir()
    line = folder_run(count / 'ds', -1, mode, 'new', intruder=True)   # 'REFUSED <steps> <message> (INTRUDER <step>)'
    assert line.startswith('REFUSED') and 'refusing to replace it' in line, line
    steps, made = int(line.split()[1]), int(line.rsplit(' ', 1)[1].rstrip(')'))
    killed, points = 0, []
    for k in range(steps):
        d = tmp_path / f'k{k}'; d.mkdir()
        out = d / 'ds'
        line = folder_run(out, k, mode, 'new', intruder=True)
        assert line.startswith('PAUSED'), line
        killed += 1; points.append(line.removeprefix('PAUSED '))
        fo.restore_interrupted(out)
        if k <= made: assert not out.exists() and not list(d.rglob('thesis.txt')), f"step {k}: {line}"
        elif k == made + 1: assert out.is_dir() and not any(out.iterdir()), f"step {k}: {line}"     # made, still empty
        else: assert (out / 'thesis.txt').read_text() == 'mine', f"step {k} ({line}): the user's folder is not at the target"
        line = folder_run(out, -1, mode, 'next')
        if k <= made + 1: assert line.startswith('DONE')                  # nothing there, or an empty folder: replaced
        else:
            assert 'REFUSED' in line and 'refusing to replace it' in line, line
            assert (out / 'thesis.txt').read_text() == 'mine', f"step {k}"
            # refused before it locks: the killed run's debris (its folder, an empty parking place) waits for the next writer
            assert all(kind == 'tmp' or not (p / 'previous').exists() for kind, _, p in fo.leftovers(out)), f"step {k}"
    print(f"\n{mode}, user folder appears at step {made}: killed at {killed} steps ({'; '.join(points)})")
    assert killed > made
