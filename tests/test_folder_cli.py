"""The folder guarantees end to end, through the `ghostload` commands (issue 12, "Data loss and races"): a folder or file
created at the output path during `generate` survives, a second `generate` into a folder being written is refused,
`--output-dir '*'` touches no other dataset, every command that opens a dataset puts back one a killed run left
parked, `map -o` / `evaluate --json/--csv` write only to a regular file or a new path and never leave a torn file, and
a full disk names the path. The running command is paused by a hook (no timing): it stops right after writing
`manifest.json` into its temporary folder, i.e. just before the final rename, and waits for a line on stdin."""
import errno, json, os, resource, shutil, signal, stat, subprocess, sys
from pathlib import Path
import pytest

GEN = ['generate', '--num-meters', '150', '--num-transformers', '5', '--num-months', '4', '-q']

def files_of(d: Path):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob('*')) if p.is_file()} if d.exists() else None

def cli(*args, cwd=None, timeout=600, **kw):
    return subprocess.run([sys.executable, '-m', 'ghostload_nb', *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout, **kw)

def one_line_exit_2(r, *parts):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and 'Traceback' not in r.stderr, r.stderr
    for part in parts: assert part in lines[0], (part, lines[0])

PAUSED = r'''
import sys
from pathlib import Path
target = Path(sys.argv[sys.argv.index('--output-dir') + 1]).absolute()
orig = Path.write_text
def write_text(self, *a, **k):
    r = orig(self, *a, **k)
    if self.name == 'manifest.json' and self.parent.parent == target.parent and self.parent.name.startswith(f'.{target.name}.tmp-'):
        print('PAUSED', flush=True); sys.stdin.readline()                  # everything written; the final rename is next
    return r
Path.write_text = write_text
from ghostload_nb.cli import main
sys.exit(main(sys.argv[1:]))
'''

class Paused:
    "A `ghostload` run stopped just before its final rename; `.resume()` lets it finish and returns (code, stderr)."
    def __init__(self, *args):
        self.p = subprocess.Popen([sys.executable, '-c', PAUSED, *map(str, args)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline().strip()
        if line != 'PAUSED': self.p.kill(); raise AssertionError(f"the run did not pause: {line!r} {self.p.stderr.read()}")
    def resume(self):
        out, err = self.p.communicate('\n', timeout=600)
        return self.p.returncode, err
    def __enter__(self): return self
    def __exit__(self, *exc):
        if self.p.poll() is None: self.p.kill(); self.p.wait()

# ---- something created at the output path during the run ---------------------------------------------------------

def _folder(p): p.mkdir(); (p / 'thesis.txt').write_text('my only copy')
def _file(p): p.write_text('my only copy')

@pytest.mark.parametrize('make', [_folder, _file], ids=['folder with a file', 'file'])
def test_output_path_created_during_generate_is_kept(tmp_path, make):
    out = tmp_path / 'ds'
    with Paused(*GEN, '--output-dir', out) as run:
        make(out)                                                       # the user, while the run writes
        code, err = run.resume()
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and str(out) in err and 'refusing to replace it' in err, err
    assert (out.read_text() if out.is_file() else (out / 'thesis.txt').read_text()) == 'my only copy'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ds']          # no temporary folder, no lock left

# ---- two runs into one folder -----------------------------------------------------------------------------------------

def test_second_generate_into_a_folder_being_written_is_refused(tmp_path):
    out = tmp_path / 'ds'
    with Paused(*GEN, '--seed', '1', '--output-dir', out) as first:
        second = cli(*GEN, '--seed', '2', '--output-dir', out)
        one_line_exit_2(second, str(out), f"pid {first.p.pid} on host ")
        code, err = first.resume()
    assert code == 0, err
    assert json.loads((out / 'manifest.json').read_text())['config']['random_seed'] == 1   # the first run's dataset
    assert cli('validate', out).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ds']

# ---- glob characters in the folder name -----------------------------------------------------------------------------

def test_glob_output_dir_touches_no_other_dataset(tmp_path):
    assert cli(*GEN, '--seed', '1', '--output-dir', 'ds', cwd=tmp_path).returncode == 0
    parked = tmp_path / '.ds.old-999999999-abcdefgh'                    # what a killed run into ds left parked
    shutil.copytree(tmp_path / 'ds', parked / 'previous')
    (tmp_path / '.ds.tmp-999999999-abcdefgh').mkdir()
    snapshot = {p.name: files_of(p) for p in tmp_path.iterdir()}
    for _ in range(2):                                                  # a new '*', then replacing it
        r = cli(*GEN, '--seed', '3', '--output-dir', '*', '--overwrite', cwd=tmp_path)
        assert r.returncode == 0, r.stderr
    assert {n: files_of(tmp_path / n) for n in snapshot} == snapshot
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*snapshot, '*'])

# ---- commands that open a dataset put back one parked by a killed run --------------------------------------------------

@pytest.mark.parametrize('command', [['validate'], ['evaluate', '--k', '5'], ['map', '-q']])
def test_commands_put_back_a_dataset_left_parked(tmp_path, command):
    "Without renameat2 a run killed between its two renames leaves the dataset in `.ds.old-PID-X/previous`."
    out = tmp_path / 'ds'
    assert cli(*GEN, '--seed', '1', '--output-dir', out).returncode == 0
    before = files_of(out)
    (tmp_path / '.ds.old-999999999-abcdefgh').mkdir()
    out.rename(tmp_path / '.ds.old-999999999-abcdefgh' / 'previous')
    r = cli(*command, out)
    assert r.returncode == 0, r.stdout + r.stderr
    got = files_of(out)
    got.pop('map.html', None)
    assert got == before

# ---- single files: only a regular file or a new path; atomically -------------------------------------------------------

@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    d = tmp_path_factory.mktemp('data') / 'ds'
    assert cli(*GEN, '--seed', '1', '--output-dir', d).returncode == 0
    return d

def _fifo(p): os.mkfifo(p)
def _chardev(p):
    "A character device (/dev/null's numbers) made in tmp_path; needs root (else /dev/null is only linked to)."
    try: os.mknod(p, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError: p.symlink_to('/dev/null')
def _dir(p): p.mkdir()
def _link_to_fifo(p): os.mkfifo(p.parent / 'fifo'); p.symlink_to(p.parent / 'fifo')

NOT_REGULAR = {'FIFO': _fifo, 'character device': _chardev, 'folder': _dir, 'link to a FIFO': _link_to_fifo}

def _kind(p: Path):
    st = os.lstat(p)
    return stat.S_IFMT(st.st_mode), st.st_ino

@pytest.mark.parametrize('what', NOT_REGULAR)
@pytest.mark.parametrize('flag', [['map', '-q', '-o'], ['evaluate', '--k', '5', '--json'], ['evaluate', '--k', '5', '--csv']],
                         ids=['map -o', 'evaluate --json', 'evaluate --csv'])
def test_single_file_outputs_refuse_what_is_not_a_regular_file(tmp_path, dataset, flag, what):
    target = tmp_path / 'out'
    NOT_REGULAR[what](target)
    before = _kind(target)
    *cmd, opt = flag
    r = cli(*cmd, dataset, opt, target, timeout=120)                    # the timeout only ends a hang on a FIFO
    one_line_exit_2(r, str(target))
    assert _kind(target) == before                                      # the very same thing, untouched

LIMITED = r'''
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))   # the kernel refuses to write past `limit` bytes, like a full disk
from ghostload_nb.cli import main
sys.exit(main(sys.argv[2:]))
'''

def limited(limit, *args):
    return subprocess.run([sys.executable, '-c', LIMITED, str(limit), *map(str, args)], capture_output=True, text=True, timeout=600)

@pytest.mark.parametrize('opt', ['--json', '--csv'])
def test_evaluate_output_on_a_full_disk_keeps_the_old_file_and_names_it(tmp_path, dataset, opt):
    target = tmp_path / 'metrics'
    target.write_text('old results\n')
    r = limited(200, 'evaluate', dataset, '--k', '5', opt, target)
    one_line_exit_2(r, str(target), os.strerror(errno.EFBIG))
    assert target.read_text() == 'old results\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['metrics']

def test_generate_on_a_full_disk_names_the_folder(tmp_path):
    out = tmp_path / 'ds'
    r = limited(20_000, *GEN, '--num-meters', '2000', '--output-dir', out)
    one_line_exit_2(r, str(out), os.strerror(errno.EFBIG))
    assert ': : ' not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []             # nothing written, nothing left
