"""Every case of the bad-input catalogue (tests/catalogue.py): Python raises a one-line ValueError naming the field and
the value; the command line exits 2 with one line on stderr, no traceback, and the filesystem untouched.

Command-line cases run in-process (`cli.main`) except the first of each category (and each kind of output path),
which runs through the real console script in a subprocess: the same answers, at a hundredth of the cost."""
import json, os
from pathlib import Path
import pytest
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline
from ghostload_nb.pipeline import save_dataset
from catalogue import CONFIG_CASES, FLAG_CASES, COMMAND_CASES, CONFIG_FILE_CASES, PRESET_CASES, NAME_CASES, case_id
from cli_run import run_inprocess, representatives, snapshot, assert_one_line_exit_2

def modes(cases, per_category=1):
    "pytest params: each case with 'subprocess' for the representatives of its category, else 'in-process'."
    keep = representatives(cases, per_category)
    return [pytest.param(*c, 'subprocess' if i in keep else 'in-process', id=f"{'sub' if i in keep else 'inp'} {case_id(c[0], c[1])}")
            for i, c in enumerate(cases)]

@pytest.fixture
def ghostload(run_cli):
    "ghostload(mode, *args, cwd=...) in a subprocess or in-process."
    def run(mode, *args, cwd=None):
        return run_cli(*args, cwd=cwd) if mode == 'subprocess' else run_inprocess(*args, cwd=cwd)
    return run

# ---- Python: GeneratorConfig(**kwargs) and GeneratorConfig.from_json -------------------------------------------------

@pytest.mark.parametrize('category, kwargs, needle', CONFIG_CASES, ids=[case_id(c, k) for c, k, _ in CONFIG_CASES])
def test_python_config_case(category, kwargs, needle):
    with pytest.raises(ValueError) as e: GeneratorConfig(**kwargs)
    msg = str(e.value)
    assert len(msg.splitlines()) == 1 and needle in msg, msg
    assert msg.split('=', 1)[0].split('[', 1)[0].split(' ', 1)[0] in {f for f in GeneratorConfig.__dataclass_fields__} | {'config'}

@pytest.mark.parametrize('category, text, needle', CONFIG_FILE_CASES, ids=[case_id(c, t) for c, t, _ in CONFIG_FILE_CASES])
def test_python_config_json_case(category, text, needle):
    with pytest.raises(ValueError) as e: GeneratorConfig.from_json(text)
    assert len(str(e.value).splitlines()) == 1 and needle in str(e.value), str(e.value)

@pytest.mark.parametrize('category, name, overrides, needle', PRESET_CASES, ids=[case_id(c, n) for c, n, _, _ in PRESET_CASES])
def test_python_preset_case(category, name, overrides, needle):
    with pytest.raises(ValueError) as e: GeneratorConfig.from_preset(name, **overrides)
    assert len(str(e.value).splitlines()) == 1 and needle in str(e.value), str(e.value)

@pytest.mark.parametrize('category, register, name, needle', NAME_CASES, ids=[case_id(c, n) for c, _, n, _ in NAME_CASES])
def test_python_registered_name_case(category, register, name, needle):
    from ghostload_nb import anomalies, events
    fn = getattr(anomalies, register, None) or getattr(events, register)
    known = (dict(anomalies.ANOMALY_PATTERNS), dict(events.LOOKALIKES))
    with pytest.raises(ValueError) as e: fn(name)(lambda *a: None)
    assert len(str(e.value).splitlines()) == 1 and needle in str(e.value), str(e.value)
    assert (anomalies.ANOMALY_PATTERNS, events.LOOKALIKES) == known         # nothing registered

# ---- Command line: the same configurations as --config files, then flags and whole command lines ---------------------

CONFIG_REPS = {'zero count', 'NaN/inf', 'formula in a name'}   # config-file cases share one path: three run as a subprocess
CONFIG_TEXTS = ([pytest.param(c, json.dumps(k), n, 'subprocess' if i in representatives(CONFIG_CASES) and c in CONFIG_REPS else 'in-process',
                              id=case_id(c, k)) for i, (c, k, n) in enumerate(CONFIG_CASES)] + modes(CONFIG_FILE_CASES))

@pytest.mark.parametrize('category, text, needle, mode', CONFIG_TEXTS)
def test_cli_config_file_case(ghostload, tmp_path, category, text, needle, mode):
    "Every bad configuration (as JSON) and every malformed file, given as `--config FILE`."
    cfg = tmp_path / 'bad.json'
    cfg.write_text(text)
    before = snapshot(tmp_path)
    r = ghostload(mode, 'generate', '--config', cfg, '--output-dir', tmp_path / 'out', cwd=tmp_path)
    assert_one_line_exit_2(r, needle)
    assert snapshot(tmp_path) == before

@pytest.mark.parametrize('category, argv, needle, mode', modes(FLAG_CASES))
def test_cli_flag_case(ghostload, tmp_path, category, argv, needle, mode):
    before = snapshot(tmp_path)
    r = ghostload(mode, 'generate', *argv, cwd=tmp_path)      # cwd is tmp_path: the default output folder would land here
    assert_one_line_exit_2(r, needle)
    assert snapshot(tmp_path) == before

@pytest.mark.parametrize('category, argv, needle, mode', modes(COMMAND_CASES))
def test_cli_command_case(ghostload, tmp_path, category, argv, needle, mode):
    before = snapshot(tmp_path)
    assert_one_line_exit_2(ghostload(mode, *argv, cwd=tmp_path), needle)
    assert snapshot(tmp_path) == before

# ---- Output paths: a file, below a file, a foreign folder, an existing dataset, a place root cannot write -------------

def _setup_output(tmp_path, kind):
    "Create the situation; return (output path, needle)."
    if kind == 'is a file':
        (tmp_path / 'out').write_text('keep me'); return tmp_path / 'out', "exists and is not a directory"
    if kind == 'below a file':
        (tmp_path / 'f.txt').write_text('keep me'); return tmp_path / 'f.txt' / 'out', "is a file, not a folder"
    if kind == 'foreign folder':
        (tmp_path / 'out').mkdir(); (tmp_path / 'out' / 'thesis.docx').write_text('precious')
        return tmp_path / 'out', "folder is not empty and is not a ghostload dataset"
    if kind == 'unwritable (sysfs, even for root)':
        return Path('/sys/ghostload_nb_test/out'), "cannot write there"
    raise ValueError(kind)

OUTPUT_CASES = ['is a file', 'below a file', 'foreign folder', 'unwritable (sysfs, even for root)']

@pytest.mark.parametrize('kind, mode', [(k, 'subprocess' if i == 0 else 'in-process') for i, k in enumerate(OUTPUT_CASES)])
def test_cli_bad_output_path(ghostload, tmp_path, kind, mode):
    out, needle = _setup_output(tmp_path, kind)
    before = snapshot(tmp_path)
    r = ghostload(mode, 'generate', '--num-meters', 50, '--num-transformers', 3, '--output-dir', out, '--overwrite', cwd=tmp_path)
    assert_one_line_exit_2(r, needle)
    assert f"output_dir={str(out)!r}" in r.stderr and '--output-dir' in r.stderr
    assert snapshot(tmp_path) == before

@pytest.mark.parametrize('kind', OUTPUT_CASES)
def test_python_bad_output_path(tmp_path, kind):
    out, needle = _setup_output(tmp_path, kind)
    cfg = GeneratorConfig(num_meters=50, num_transformers=3, output_dir=out)
    outputs = SyntheticDataPipeline(cfg).generate_all()
    before = snapshot(tmp_path)
    with pytest.raises(ValueError) as e: save_dataset(outputs, cfg)
    assert len(str(e.value).splitlines()) == 1 and needle in str(e.value) and f"output_dir={str(out)!r}" in str(e.value)
    assert snapshot(tmp_path) == before

def test_cli_existing_dataset_needs_overwrite(tmp_path):
    assert run_inprocess('generate', '--num-meters', 50, '--num-transformers', 3, '--output-dir', tmp_path / 'ds', '-q').returncode == 0
    before = snapshot(tmp_path)
    r = run_inprocess('generate', '--num-meters', 60, '--num-transformers', 3, '--output-dir', tmp_path / 'ds')
    assert_one_line_exit_2(r, "already holds a ghostload dataset; pass --overwrite")
    assert snapshot(tmp_path) == before
