"""The atomic dataset folder and single-file writer (`ghostload_nb.folder`), tested directly: a target created during a
run is never replaced, one writer per folder, the exchange keeps the target present, leftovers are matched by exact
name, `write_file_atomically` refuses anything but a regular file or a new path and never leaves a torn file, and
errors name the path. Each test runs with the Linux atomic exchange and with the portable fallback (two renames)."""
import errno, os, resource, signal, socket, stat, subprocess, sys
from pathlib import Path
import pytest
import ghostload_nb.folder as fo

def files_of(d: Path):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob('*')) if p.is_file()} if d.exists() else None

def entries(parent: Path) -> list:
    return sorted(p.name for p in parent.iterdir())

def write_dataset(tmp: Path, tag: str):
    (tmp / 'meter_consumption.csv').write_text(f'meter_id\n{tag}\n')
    (tmp / 'manifest.json').write_text(f'{{"tag": "{tag}"}}\n')

def make_dataset(out: Path, tag: str):
    with fo.dataset_folder(out) as tmp: write_dataset(tmp, tag)

@pytest.fixture(params=['exchange', 'fallback'])
def mode(request, monkeypatch):
    "Run the test with renameat2 (Linux) and without it (other systems / file systems that refuse it)."
    if request.param == 'exchange': assert fo._RENAMEAT2 is not None, "this Linux libc has no renameat2"
    else: monkeypatch.setattr(fo, '_RENAMEAT2', None)
    return request.param

# ---- a target created during the run -----------------------------------------------------------------------------------

def _user_folder(p: Path): p.mkdir(); (p / 'thesis.txt').write_text('my only copy')
def _user_file(p: Path): p.write_text('my only copy')
def _user_link(p: Path): (p.parent / 'elsewhere').mkdir(); (p.parent / 'elsewhere' / 'thesis.txt').write_text('my only copy'); p.symlink_to(p.parent / 'elsewhere')

APPEARS = {'folder with a file': _user_folder, 'file': _user_file, 'symbolic link to a folder': _user_link}

@pytest.mark.parametrize('what', APPEARS)
@pytest.mark.parametrize('previous', [False, True], ids=['fresh', 'replacing'])
def test_target_created_during_the_run_is_never_replaced(tmp_path, mode, what, previous):
    out = tmp_path / 'ds'
    if previous:
        make_dataset(out, 'old')
        old = files_of(out)
    with pytest.raises(fo.OutputPathError) as e:
        with fo.dataset_folder(out, overwrite=True) as tmp:
            write_dataset(tmp, 'new')
            if previous: fo._remove(out)            # the user removes the old dataset and puts their own thing there
            APPEARS[what](out)
    assert e.value.path == str(out) and 'was put there during the run' in str(e.value)
    assert '\n' not in str(e.value)
    user = out.read_text() if what == 'file' else (out / 'thesis.txt').read_text()
    assert user == 'my only copy'
    assert fo.leftovers(out) == [] and not fo.lock_path(out).exists()

@pytest.mark.parametrize('overwrite', [False, True])
def test_dataset_created_during_the_run(tmp_path, mode, overwrite):
    "Another dataset put there meanwhile is replaced only with overwrite."
    out = tmp_path / 'ds'
    def run():
        with fo.dataset_folder(out, overwrite=overwrite) as tmp:
            write_dataset(tmp, 'new')
            out.mkdir(); write_dataset(out, 'theirs')
    if overwrite:
        run(); assert (out / 'manifest.json').read_text() == '{"tag": "new"}\n'
    else:
        with pytest.raises(fo.OutputPathError, match='pass --overwrite'): run()
        assert (out / 'manifest.json').read_text() == '{"tag": "theirs"}\n'
    assert entries(tmp_path) == ['ds']

def test_empty_folder_created_during_the_run_is_replaced(tmp_path, mode):
    out = tmp_path / 'ds'
    with fo.dataset_folder(out, overwrite=False) as tmp:
        write_dataset(tmp, 'new'); out.mkdir()
    assert (out / 'manifest.json').read_text() == '{"tag": "new"}\n' and entries(tmp_path) == ['ds']

# ---- one writer at a time -----------------------------------------------------------------------------------------------

HOLDER = r'''
import sys
from pathlib import Path
import ghostload_nb.folder as fo
with fo.dataset_folder(Path(sys.argv[1])) as tmp:
    print('HOLDING', flush=True)
    sys.stdin.readline()
    (tmp / 'manifest.json').write_text('{"tag": "first"}')
'''

def hold(out: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, '-c', HOLDER, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == 'HOLDING'
    return p

def test_second_writer_is_refused_naming_the_first(tmp_path):
    out = tmp_path / 'ds'
    first = hold(out)
    try:
        with pytest.raises(fo.FolderBusyError) as e:
            with fo.dataset_folder(out, overwrite=False) as tmp: write_dataset(tmp, 'second')
        msg = str(e.value)
        assert msg.startswith(f"output_dir={str(out)!r}: another ghostload run (pid {first.pid} on host {socket.gethostname()})")
        assert e.value.owner == f"pid {first.pid} on host {socket.gethostname()}"
        first.stdin.write('\n'); first.stdin.flush()
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None: first.kill(); first.wait()
    assert (out / 'manifest.json').read_text() == '{"tag": "first"}'     # the first run's dataset, complete
    assert entries(tmp_path) == ['ds']

def test_lock_of_a_killed_writer_is_free(tmp_path):
    out = tmp_path / 'ds'
    first = hold(out)
    first.kill(); first.wait()
    assert fo.lock_path(out).exists() and [k for k, *_ in fo.leftovers(out)] == ['tmp']   # what it left
    make_dataset(out, 'next')                                                            # not refused
    assert entries(tmp_path) == ['ds'] and (out / 'manifest.json').read_text() == '{"tag": "next"}\n'

RESTORER = r'''
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b'pid 1 on host elsewhere restoring\n'); print('HOLDING', flush=True); sys.stdin.readline()
'''

def test_writer_waits_for_a_reader_that_restores(tmp_path, monkeypatch):
    "A command opening the dataset holds the lock for an instant to put things back: a writer waits for it, not refused."
    out = tmp_path / 'ds'
    reader = subprocess.Popen([sys.executable, '-c', RESTORER, str(fo.lock_path(out))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    waits = []
    def pause(seconds):                                               # the writer's first wait lets the reader finish
        waits.append(seconds)
        if len(waits) == 1: reader.stdin.write('\n'); reader.stdin.flush(); reader.wait(timeout=60)
    try:
        assert reader.stdout.readline().strip() == 'HOLDING'
        monkeypatch.setattr(fo, '_pause', pause)
        make_dataset(out, 'writer')
    finally:
        if reader.poll() is None: reader.kill(); reader.wait()
    assert len(waits) == 1 and (out / 'manifest.json').read_text() == '{"tag": "writer"}\n' and entries(tmp_path) == ['ds']

def test_lock_file_replaced_while_held_is_not_shared(tmp_path):
    "A lock file removed and re-created by someone does not let two runs in."
    out = tmp_path / 'ds'
    with fo.run_lock(out):
        os.unlink(fo.lock_path(out))
        with fo.run_lock(out):                                         # a new file: a new lock (nothing else to do)
            with pytest.raises(fo.FolderBusyError): fo.run_lock(out).__enter__()

# ---- never missing ------------------------------------------------------------------------------------------------------

def test_replacement_never_removes_the_target_name(tmp_path, monkeypatch):
    "With renameat2 the target is replaced by an exchange: no rename ever moves the old dataset out of its name."
    out = tmp_path / 'ds'
    make_dataset(out, 'old')
    renames = []
    orig = os.rename
    monkeypatch.setattr(os, 'rename', lambda a, b, *x, **k: (renames.append((str(a), str(b))), orig(a, b, *x, **k))[1])
    make_dataset(out, 'new')
    assert [r for r in renames if r[0] == str(out)] == []
    assert (out / 'manifest.json').read_text() == '{"tag": "new"}\n' and entries(tmp_path) == ['ds']

def test_fallback_parked_dataset_is_restored_by_the_next_open(tmp_path, monkeypatch):
    "Without renameat2: the run dies between the two renames; restore_interrupted (and the next writer) put it back."
    monkeypatch.setattr(fo, '_RENAMEAT2', None)
    out = tmp_path / 'ds'
    make_dataset(out, 'old')
    before = files_of(out)
    orig = os.rename
    def rename(a, b, *x, **k):
        if Path(a) == out: orig(a, b, *x, **k); raise KeyboardInterrupt   # dies right after parking (no clean-up runs)
        return orig(a, b, *x, **k)
    monkeypatch.setattr(os, 'rename', rename)
    monkeypatch.setattr(fo, '_remove', lambda p: None)                   # as if killed: nothing is tidied
    with pytest.raises(KeyboardInterrupt): make_dataset(out, 'new')
    monkeypatch.undo()
    assert not out.exists() and [k for k, *_ in fo.leftovers(out)] == ['old', 'tmp']
    assert fo.restore_interrupted(out) is True
    assert files_of(out) == before
    make_dataset(out, 'next')
    assert entries(tmp_path) == ['ds']

# ---- leftovers by exact name ----------------------------------------------------------------------------------------

@pytest.mark.parametrize('name', ['*', '?s', '[d]s', 'd*'])
def test_glob_characters_touch_only_their_own_leftovers(tmp_path, mode, name):
    other = tmp_path / 'ds'
    make_dataset(other, 'other')
    parked = tmp_path / '.ds.old-999999999-abcdefgh'                    # another dataset's parked data (killed run)
    (parked / 'previous').mkdir(parents=True); write_dataset(parked / 'previous', 'parked')
    (tmp_path / '.ds.tmp-999999999-abcdefgh').mkdir()
    snapshot = {p: files_of(tmp_path / p) for p in ('ds', parked.name)}
    out = tmp_path / name
    make_dataset(out, 'one')
    make_dataset(out, 'two')                                             # replacing, i.e. --overwrite
    assert {p: files_of(tmp_path / p) for p in snapshot} == snapshot
    assert (tmp_path / '.ds.tmp-999999999-abcdefgh').exists()
    assert (out / 'manifest.json').read_text() == '{"tag": "two"}\n'
    assert fo.restore_interrupted(out) is False and files_of(other) == snapshot['ds']

def test_leftovers_of_dead_runs_are_removed(tmp_path):
    out = tmp_path / 'ds'
    for n in ('.ds.tmp-999999999-abcdefgh', '.ds.old-999999999-abcd_123'): (tmp_path / n).mkdir(); (tmp_path / n / 'x').write_text('half')
    (tmp_path / '.ds.tmp-1-abc').mkdir()                                  # not our name format: not ours
    (tmp_path / '.ds.notes').write_text('user')
    make_dataset(out, 'new')
    assert entries(tmp_path) == ['.ds.notes', '.ds.tmp-1-abc', 'ds']

# ---- single files ---------------------------------------------------------------------------------------------------

def _fifo(p): os.mkfifo(p)
def _dir(p): p.mkdir()
def _sock(p):
    s = socket.socket(socket.AF_UNIX); s.bind(str(p)); s.close()
def _link_to_fifo(p): os.mkfifo(p.parent / 'fifo'); p.symlink_to(p.parent / 'fifo')
def _link_to_dir(p): (p.parent / 'd').mkdir(); p.symlink_to(p.parent / 'd')
def _link_to_nothing(p): p.symlink_to(p.parent / 'nowhere')

NOT_REGULAR = {'FIFO': (_fifo, 'is a FIFO (named pipe), not a regular file'), 'folder': (_dir, 'is a folder, not a regular file'),
               'socket': (_sock, 'is a socket, not a regular file'),
               'link to a FIFO': (_link_to_fifo, 'is a symbolic link to a FIFO (named pipe), not to a regular file'),
               'link to a folder': (_link_to_dir, 'is a symbolic link to a folder, not to a regular file'),
               'dangling link': (_link_to_nothing, 'which does not exist')}

@pytest.mark.parametrize('what', NOT_REGULAR)
def test_write_file_refuses_what_is_not_a_regular_file(tmp_path, what):
    make, expected = NOT_REGULAR[what]
    target = tmp_path / 'out.json'
    make(target)
    before = os.lstat(target)
    with pytest.raises(fo.OutputPathError) as e: fo.write_file_atomically(target, '{}')
    assert str(e.value) == f"{str(target)!r}: {e.value.why}" and expected in e.value.why
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)   # the very same thing, untouched
    assert not (tmp_path / 'nowhere').exists()

def test_write_file_refuses_a_character_device(tmp_path):
    "A device node (here /dev/null's numbers, made in tmp_path when we may; else /dev/null itself, which is only stat-ed)."
    dev = tmp_path / 'null'
    try: os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError: dev = Path('/dev/null')
    with pytest.raises(fo.OutputPathError, match='is a character device, not a regular file'): fo.write_file_atomically(dev, 'x')
    assert stat.S_ISCHR(os.lstat(dev).st_mode)

def test_write_file_new_regular_and_through_a_link(tmp_path):
    fo.write_file_atomically(tmp_path / 'a.json', '{"a": 1}')
    assert (tmp_path / 'a.json').read_text() == '{"a": 1}'
    fo.write_file_atomically(tmp_path / 'a.json', b'{"a": 2}')
    assert (tmp_path / 'a.json').read_bytes() == b'{"a": 2}'
    (tmp_path / 'l.json').symlink_to(tmp_path / 'a.json')
    fo.write_file_atomically(tmp_path / 'l.json', 'three')
    assert (tmp_path / 'l.json').is_symlink() and (tmp_path / 'a.json').read_text() == 'three'
    assert entries(tmp_path) == ['a.json', 'l.json']

def test_write_file_fifo_put_there_meanwhile_is_not_replaced(tmp_path, mode, monkeypatch):
    target = tmp_path / 'out.json'
    orig = fo._install
    def install(src, dst, why_not, park):
        os.mkfifo(dst); return orig(src, dst, why_not, park)
    monkeypatch.setattr(fo, '_install', install)
    with pytest.raises(fo.OutputPathError, match='a FIFO .* was put there meanwhile'): fo.write_file_atomically(target, 'x')
    assert stat.S_ISFIFO(os.lstat(target).st_mode) and entries(tmp_path) == ['out.json']

LIMITED = r'''
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))      # the kernel refuses writes past 1000 bytes, like a full disk
import ghostload_nb.folder as fo
try: fo.write_file_atomically(sys.argv[1], 'x' * 5000)
except OSError as e: print(e.errno, e.filename, e.strerror); sys.exit(3)
'''

def test_write_file_on_a_full_file_system_keeps_the_old_file_and_names_it(tmp_path):
    target = tmp_path / 'report.json'
    target.write_text('{"old": true}')
    r = subprocess.run([sys.executable, '-c', LIMITED, str(target)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 3, r.stderr
    assert r.stdout.strip() == f"{errno.EFBIG} {target} {os.strerror(errno.EFBIG)}"
    assert target.read_text() == '{"old": true}' and entries(tmp_path) == ['report.json']

def test_dataset_write_error_names_the_target(tmp_path):
    out = tmp_path / 'ds'
    with pytest.raises(OSError) as e:
        with fo.dataset_folder(out) as tmp:
            with open(tmp / 'a.csv', 'wb') as f: raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert (e.value.errno, e.value.filename) == (errno.ENOSPC, str(out))
    with pytest.raises(OSError) as e:
        with fo.dataset_folder(out) as tmp: raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp / 'a.csv'))
    assert e.value.filename == str(out / 'a.csv')                          # the file's name in the target, not the temporary one
    assert entries(tmp_path) == []
