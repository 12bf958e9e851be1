"""Command-line conventions (issue 15): --version, bare `ghostload` prints the help, "did you mean", no abbreviated
flags, pattern names in --help, a summary a person reads after `generate`, --dry-run writes nothing, `evaluate --json`
says what it wrote."""
import json, re, subprocess
import pytest
from ghostload_nb import __version__
from ghostload_nb.anomalies import ANOMALY_PATTERNS
from cli_run import run_inprocess, snapshot
from conftest import ghostload_exe

def test_version_through_the_console_script(tmp_path):
    r = subprocess.run([ghostload_exe(), '--version'], capture_output=True, text=True, cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (0, f"ghostload {__version__}\n", '')

def test_bare_command_prints_the_help(tmp_path):
    r = subprocess.run([ghostload_exe()], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == '' and r.stdout.startswith('usage: ghostload')
    for command in ('generate', 'evaluate', 'map', 'validate'): assert re.search(rf"^\s+{command}\s", r.stdout, re.M), command
    assert list(tmp_path.iterdir()) == []

@pytest.mark.parametrize('argv, suggestion', [
    (['genrate'], "did you mean 'generate'?"), (['evalute', 'x'], "did you mean 'evaluate'?"), (['valdate'], "did you mean 'validate'?"),
    (['generate', '--num-meter', '5'], "did you mean --num-meters?"), (['generate', '--preset', 'metro-manila'], "did you mean 'metro_manila'?"),
    (['generate', '--format', 'parquett'], "did you mean 'parquet'?"), (['map', 'x', '--max-meter', '5'], "did you mean --max-meters?"),
])
def test_did_you_mean(tmp_path, argv, suggestion):
    r = run_inprocess(*argv, cwd=tmp_path)
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and suggestion in r.stderr, r.stderr

@pytest.mark.parametrize('argv', [['generate', '--num-m', '5'], ['generate', '--over'], ['evaluate', 'x', '--js', 'f.json'], ['generate', '--dry']])
def test_abbreviated_flags_are_refused(tmp_path, argv):
    r = run_inprocess(*argv, cwd=tmp_path)
    assert r.returncode == 2 and 'unrecognized arguments' in r.stderr and list(tmp_path.iterdir()) == []

def test_anomaly_types_help_lists_every_pattern():
    r = run_inprocess('generate', '--help')
    text = ' '.join(r.stdout.split())
    for name in ANOMALY_PATTERNS: assert re.search(rf"\b{re.escape(name)}\b", text), name

def test_generate_summary_reads_as_words_and_matches_the_files(tmp_path):
    r = run_inprocess('generate', '--num-meters', 400, '--num-transformers', 10, '--anomaly-rate', 0.05, '--output-dir', tmp_path / 'ds', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.fullmatch(rf"wrote dataset to {re.escape(str(tmp_path / 'ds'))} in \d+\.\d s", lines[0]), lines[0]
    assert lines[1].strip() == "400 meters x 12 months on 10 transformers; 20 thieves (5.0%), 0 look-alike events"
    sizes = {l.split()[0]: ' '.join(l.split()[1:]) for l in lines[2:]}
    assert set(sizes) - {'total'} == {p.name for p in (tmp_path / 'ds').iterdir()}
    assert all(re.fullmatch(r"\d+ B|\d+\.\d (KiB|MiB)", v) for v in sizes.values()), sizes
    n = (tmp_path / 'ds' / 'anomaly_labels.csv').stat().st_size
    assert sizes['anomaly_labels.csv'] == (f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB")

def test_summary_counts_look_alikes_and_parquet_parts(tmp_path):
    cfg = tmp_path / 'cfg.json'
    cfg.write_text(json.dumps({'num_meters': 500, 'num_transformers': 10, 'lookalike_rates': {'vacancy': 0.1}}))
    r = run_inprocess('generate', '--config', cfg, '--format', 'parquet', '--output-dir', tmp_path / 'ds', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    events = sum(e['rows'] for n, e in json.loads((tmp_path / 'ds' / 'manifest.json').read_text())['files'].items() if n.startswith('meter_events'))
    assert events > 0 and f"500 meters x 12 months on 10 transformers; 38 thieves (7.6%), {events:,} look-alike events" in r.stdout

def test_dry_run_prints_the_estimate_and_writes_nothing(tmp_path):
    before = snapshot(tmp_path)
    r = run_inprocess('generate', '--num-meters', 200_000, '--num-months', 24, '--format', 'both', '--output-dir', tmp_path / 'ds', '--dry-run', cwd=tmp_path)
    assert (r.returncode, r.stderr) == (0, '')
    assert r.stdout.startswith("dry run, nothing written: 200,000 meters x 24 months: about ") and 'peak memory' in r.stdout
    assert 'meter_consumption.csv' in r.stdout and 'meter_consumption.parquet' in r.stdout
    assert snapshot(tmp_path) == before

def test_evaluate_says_what_it_wrote(tmp_path):
    assert run_inprocess('generate', '--num-meters', 300, '--num-transformers', 10, '--output-dir', tmp_path / 'ds', '-q').returncode == 0
    r = run_inprocess('evaluate', tmp_path / 'ds', '--json', tmp_path / 'm.json', '--csv', tmp_path / 'm.csv', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    for name, what in (('m.json', 'metrics'), ('m.csv', 'metric table')):
        size = (tmp_path / name).stat().st_size
        assert f"wrote {what} to {tmp_path / name} ({size:,} bytes)" in r.stdout
    assert json.loads((tmp_path / 'm.json').read_text())['dataset_dir'] == str(tmp_path / 'ds')

def test_overwrite_difference_is_documented_where_users_meet_it():
    r = run_inprocess('generate', '--help')
    assert "save_outputs replaces by default" in ' '.join(r.stdout.split())
