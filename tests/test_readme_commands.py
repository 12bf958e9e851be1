"""README.md's commands run as written, in order, in one fresh shell, on a fresh copy of the repository.

The shell blocks from the top of README.md down to its "## Components" section (Install and How to use) are joined
into one bash script and run with `set -euo pipefail` in a copy of the repository's tracked files (no `.venv`, no
`generated_data/`), in a shell with no virtual environment active. `bash tools/generate.sh` therefore builds a new
`.venv` from PyPI; the test then checks that it printed no deprecation warning and installed no dev-only package, and
that every file the commands promise is there. The blocks below "## Components" (the test suite, the docs build) are
what CI itself runs."""
import configparser, os, re, shlex, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / 'README.md'
WARNING = re.compile(r'deprecat|BuildBackendWarning|SetuptoolsWarning|Editable installation', re.I)

def shell_blocks(text:str, stop:str='## Components')->list:
    "The bodies of the ```sh blocks of `text` that come before the heading `stop`."
    head = text.split('\n' + stop + '\n', 1)[0]
    return [m.group(1).strip('\n') for m in re.finditer(r'^```(?:sh|bash|shell)\n(.*?)^```', head, re.S | re.M)]

def requirement_names(key:str)->set:
    cfg = configparser.ConfigParser(); cfg.read(ROOT / 'settings.ini')
    return {re.split(r'[<>=!\[; ]', r, 1)[0].lower().replace('_', '-') for r in shlex.split(cfg['DEFAULT'].get(key, ''))}

def fresh_shell_env(home:Path)->dict:
    "The machine's environment as a new login shell sees it: no virtual environment active, nothing of this test run's."
    env = {k: v for k, v in os.environ.items() if k not in ('VIRTUAL_ENV', 'PYTHONPATH', 'PYTHONHOME') and not k.startswith(('PYTEST', 'GHOSTLOAD'))}
    venvs = {str(Path(sys.prefix) / 'bin'), str(ROOT / '.venv' / 'bin')}
    env['PATH'] = os.pathsep.join(p for p in os.environ.get('PATH', '/usr/bin:/bin').split(os.pathsep) if p not in venvs)
    env['HOME'] = str(home)
    return env

def test_shell_blocks_are_found():
    blocks = shell_blocks(README.read_text(encoding='utf-8'))
    text = '\n'.join(blocks)
    assert blocks[0].splitlines()[:2] == ['bash tools/generate.sh', 'source .venv/bin/activate'], blocks[0]
    for cmd in ('ghostload generate --preset metro_manila', 'ghostload evaluate', 'ghostload validate', 'ghostload map',
                '--anomaly-types', '--engine dask'):
        assert cmd in text, cmd
    assert 'bash tools/test.sh' not in text  # the suite itself is below "## Components", run by CI

@pytest.fixture(scope='module')
def fresh_clone(tmp_path_factory):
    "The repository's tracked files (as in the working tree), copied to a new folder: what a fresh clone holds."
    dest = tmp_path_factory.mktemp('clone') / 'ghostload_nb'
    files = subprocess.run(['git', 'ls-files', '-z'], cwd=ROOT, capture_output=True, check=True).stdout.decode().split('\0')
    for f in filter(None, files):
        src = ROOT / f
        if src.is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / f)
    assert not (dest / '.venv').exists() and not (dest / 'generated_data').exists()
    return dest

@pytest.fixture(scope='module')
def readme_run(fresh_clone, tmp_path_factory):
    blocks = shell_blocks(README.read_text(encoding='utf-8'))
    probe = fresh_clone.parent / 'after_generate.txt'
    # one harness line after the first block (not from the README, changes no shell state): the packages generate.sh installed
    script = '\n'.join(['set -euo pipefail', blocks[0], f'python -m pip list --format=freeze > {shlex.quote(str(probe))}', *blocks[1:]])
    (fresh_clone.parent / 'readme.sh').write_text(script + '\n')
    home = tmp_path_factory.mktemp('home')
    r = subprocess.run(['bash', '--noprofile', '--norc', str(fresh_clone.parent / 'readme.sh')], cwd=fresh_clone,
                       env=fresh_shell_env(home), capture_output=True, text=True, timeout=1500, stdin=subprocess.DEVNULL)
    return r, fresh_clone, probe

def test_readme_commands_run_as_written(readme_run):
    r, clone, _ = readme_run
    assert r.returncode == 0, f"README commands failed (exit {r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}"
    assert (clone / 'generated_data' / 'manifest.json').is_file()
    for d in ('custom_output', 'metro', 'theft_mix', 'metro_again'):
        assert (clone / d / 'meter_consumption.csv').is_file(), d
    for d in ('big', 'big_dask'): assert (clone / d / 'manifest.json').is_file(), d
    assert (clone / 'map.html').stat().st_size > 10_000 and (clone / 'metrics.json').stat().st_size > 100
    assert (clone / 'metro' / 'meter_consumption.csv').read_bytes() == (clone / 'metro_again' / 'meter_consumption.csv').read_bytes()

def test_readme_commands_print_no_deprecation_warning(readme_run):
    r, _, _ = readme_run
    bad = [l for l in (r.stdout + r.stderr).splitlines() if WARNING.search(l)]
    assert bad == [], bad

def test_generate_sh_installs_no_dev_only_package(readme_run):
    r, _, probe = readme_run
    assert probe.is_file(), r.stderr[-3000:]
    installed = {l.split('==')[0].split(' @ ')[0].lower().replace('_', '-') for l in probe.read_text().splitlines() if l}
    dev_only = requirement_names('dev_requirements') - requirement_names('requirements')
    assert {'nbdev', 'pytest', 'playwright', 'mkdocs', 'dask', 'frictionless'} <= dev_only
    assert 'ghostload-nb' in installed and 'numpy' in installed
    assert installed & dev_only == set()
