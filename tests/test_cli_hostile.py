"""Inputs found by trying to break `ghostload` (issue 12): configuration files that hang or exhaust memory, sizes and
months the output cannot hold, Ctrl-C, a symbolic-link loop, a full disk, devices as output files and damaged datasets.
Every one answers with one line on stderr, exit 2 (130 for Ctrl-C), no traceback and nothing written. The first case of
each category runs through the console script in a subprocess (with a timeout: a hang fails), the rest in-process."""
import os, resource, shutil, signal, stat, subprocess, sys, time
from pathlib import Path
import pytest
from ghostload_nb import GeneratorConfig
from ghostload_nb.stream import generate_dataset
from catalogue import HOSTILE_CONFIG_FILES, BROKEN_DATASETS, make_config_file, break_dataset, case_id
from cli_run import run_inprocess, representatives, snapshot, assert_one_line_exit_2
from conftest import ghostload_exe

def run_sub(*args, cwd, timeout=60, **kw):
    return subprocess.run([ghostload_exe(), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout, **kw)

RISKY = {'not a regular file', 'too large'}   # a regression would hang or exhaust the test process: always a subprocess with a timeout

def _modes(cases):
    keep = representatives(cases)
    return [pytest.param(*c, 'subprocess' if i in keep or c[0] in RISKY else 'in-process', id=case_id(c[0], c[1])) for i, c in enumerate(cases)]

# ---- --config FILE ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('category, what, needle, mode', _modes(HOSTILE_CONFIG_FILES))
def test_hostile_config_file(tmp_path, category, what, needle, mode):
    cfg = make_config_file(what, tmp_path)
    before = snapshot(tmp_path)
    argv = ('generate', '--config', cfg, '--output-dir', tmp_path / 'out')
    r = run_sub(*argv, cwd=tmp_path) if mode == 'subprocess' else run_inprocess(*argv, cwd=tmp_path)
    assert_one_line_exit_2(r, needle)
    assert snapshot(tmp_path) == before

def test_fifo_config_is_refused_even_from_a_slow_reader(tmp_path):
    "The FIFO case again with a short timeout: a blocking open would wait for a writer for ever."
    cfg = make_config_file('a FIFO nobody writes to', tmp_path)
    assert_one_line_exit_2(run_sub('generate', '--config', cfg, cwd=tmp_path, timeout=30), "is a FIFO (named pipe)")

# ---- Runtime: Ctrl-C, a symbolic-link loop, a full disk ---------------------------------------------------------------

def test_ctrl_c_during_generate_one_line_exit_130_nothing_left(tmp_path):
    p = subprocess.Popen([ghostload_exe(), 'generate', '--num-meters', '400000', '--num-transformers', '8000', '--workers', '1',
                          '--output-dir', str(tmp_path / 'big')], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not any(n.startswith('.big.tmp-') for n in os.listdir(tmp_path)): time.sleep(0.05)
    assert any(n.startswith('.big.tmp-') for n in os.listdir(tmp_path)), "the run never started writing"
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, (p.returncode, err)
    assert err.strip().splitlines() == ["ghostload generate: interrupted (Ctrl-C); nothing was written"], err
    assert os.listdir(tmp_path) == []                                       # no dataset, no temporary folder, no lock

def test_symlink_loop_output_refused_before_any_work(tmp_path):
    (tmp_path / 'loop').symlink_to('loop')
    before = snapshot(tmp_path)
    for target in (tmp_path / 'loop', tmp_path / 'loop' / 'ds'):
        t = time.perf_counter()
        r = run_sub('generate', '--num-meters', '200000', '--output-dir', target, cwd=tmp_path)
        assert_one_line_exit_2(r, f"--output-dir: output_dir={str(target)!r}: is (or passes through) a symbolic link loop")
    assert snapshot(tmp_path) == before

def _file_size_limit(limit):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)                        # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply

def test_write_failure_mid_run_one_line_nothing_left(tmp_path):
    "A file-size limit stands in for a full disk (same path through the writer: an OSError half-way through a file)."
    r = run_sub('generate', '--num-meters', 3000, '--num-transformers', 50, '--output-dir', tmp_path / 'ds', cwd=tmp_path,
                preexec_fn=_file_size_limit(50_000))
    assert_one_line_exit_2(r, f"--output-dir: output_dir={str(tmp_path / 'ds')!r}: writing ")
    assert 'File too large' in r.stderr and 'nothing was kept' in r.stderr
    assert os.listdir(tmp_path) == []

def test_full_disk_one_line_nothing_left(tmp_path):
    "A real full disk: a 256 KiB tmpfs (needs mount rights; skipped, and reported as skipped, without them)."
    disk = tmp_path / 'disk'; disk.mkdir()
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', str(disk)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        r = run_sub('generate', '--num-meters', 3000, '--num-transformers', 50, '--output-dir', disk / 'ds', cwd=tmp_path)
        assert_one_line_exit_2(r, "(No space left on device); nothing was kept")
        assert os.listdir(disk) == []
    finally: subprocess.run(['umount', str(disk)])

# ---- Output files: devices and pipes are never replaced ---------------------------------------------------------------

@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp('ds') / 'ds'
    generate_dataset(GeneratorConfig(num_meters=300, num_transformers=10, output_dir=out), progress=False, workers=1)
    return out

@pytest.mark.parametrize('argv, target, needle', [
    (['map', '{ds}', '-o'], '/dev/null', "--output: output='/dev/null': is a character device; only a regular file or a new path is written"),
    (['map', '{ds}', '-o'], 'fifo', "is a FIFO (named pipe); only a regular file or a new path is written"),
    (['evaluate', '{ds}', '--json'], 'fifo', "--json: json="),
    (['evaluate', '{ds}', '--csv'], '/dev/null', "--csv: csv='/dev/null': is a character device"),
    (['evaluate', '{ds}', '--json'], 'folder', "is a folder, expected a file name"),
])
def test_output_file_must_be_regular_or_new(dataset, tmp_path, argv, target, needle):
    os.mkfifo(tmp_path / 'fifo'); (tmp_path / 'folder').mkdir()
    path = target if target.startswith('/') else str(tmp_path / target)
    before, null = snapshot(tmp_path), os.stat('/dev/null')
    argv = [a.format(ds=dataset) for a in argv] + [path]
    # a FIFO target would block a writer that opened it: run those where a timeout can stop a regression
    r = run_sub(*argv, cwd=tmp_path, timeout=120) if target == 'fifo' else run_inprocess(*argv, cwd=tmp_path)
    assert_one_line_exit_2(r, needle)
    assert snapshot(tmp_path) == before and stat.S_ISFIFO(os.stat(tmp_path / 'fifo').st_mode)
    assert (os.stat('/dev/null').st_rdev, stat.S_ISCHR(os.stat('/dev/null').st_mode)) == (null.st_rdev, True)

# ---- Damaged datasets: evaluate and map answer with the validator's verdict ---------------------------------------------

@pytest.mark.parametrize('command', ['evaluate', 'map'])
@pytest.mark.parametrize('category, damage, needle, mode', _modes(BROKEN_DATASETS))
def test_damaged_dataset(dataset, tmp_path, command, category, damage, needle, mode):
    d = tmp_path / 'ds'
    shutil.copytree(dataset, d)
    break_dataset(damage, d)
    before = snapshot(tmp_path)
    r = run_sub(command, d, cwd=tmp_path, timeout=120) if mode == 'subprocess' and command == 'evaluate' else run_inprocess(command, d, cwd=tmp_path)
    assert_one_line_exit_2(r, f"ghostload {command}: error: DATASET_DIR: dataset_dir={str(d)!r}: fails ")
    assert needle in r.stderr and f"`ghostload validate {d}` lists them" in r.stderr
    assert snapshot(tmp_path) == before
