"manifest.json: contents checked against the files themselves, re-runnable byte for byte, identical across runs."
import hashlib, json
from ghostload_nb.card import CARD_FILES
from pathlib import Path
import pandas as pd
import pytest
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline

SMALL = ['--num-transformers', 12, '--num-meters', 400, '--num-months', 5, '--seed', 9, '--start-month', '2022-11',
         '--anomaly-rate', 0.06, '--noise-level', 0.1, '-q']

def test_manifest_describes_every_file(run_cli, tmp_path):
    assert run_cli('generate', *SMALL, '--output-dir', tmp_path / 'ds').returncode == 0
    ds = tmp_path / 'ds'
    man = json.loads((ds / 'manifest.json').read_text())
    assert man['generator']['package'] == 'ghostload_nb' and man['generator']['version']
    # DATASET_CARD.md and datapackage.json are written from the manifest after it, so it cannot list them
    assert set(CARD_FILES) <= {p.name for p in ds.iterdir()}
    assert set(man['files']) == {p.name for p in ds.iterdir()} - {'manifest.json', *CARD_FILES}
    for name, entry in man['files'].items():
        data = (ds / name).read_bytes()
        assert entry['sha256'] == hashlib.sha256(data).hexdigest() and entry['bytes'] == len(data)
    assert man['files']['meter_consumption.csv']['rows'] == len(pd.read_csv(ds / 'meter_consumption.csv')) == 400
    assert man['files']['transformers.csv']['rows'] == 12
    assert man['files']['anomaly_labels.csv']['rows'] == 24
    assert man['files']['transformers.geojson']['features'] == 12
    cfg = man['config']
    assert (cfg['random_seed'], cfg['num_meters'], cfg['start_month'], cfg['noise_level']) == (9, 400, '2022-11', 0.1)
    assert cfg['num_feeders'] == 2                    # resolved, not None
    assert 'output_dir' not in cfg and str(tmp_path) not in (ds / 'manifest.json').read_text()

def test_generate_from_manifest_reproduces_byte_for_byte(run_cli, tmp_path):
    assert run_cli('generate', *SMALL, '--output-dir', tmp_path / 'a').returncode == 0
    r = run_cli('generate', '--config', tmp_path / 'a' / 'manifest.json', '--output-dir', tmp_path / 'b', '-q')
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / 'a').iterdir())
    assert names == sorted(p.name for p in (tmp_path / 'b').iterdir()) and 'manifest.json' in names
    for n in names: assert (tmp_path / 'a' / n).read_bytes() == (tmp_path / 'b' / n).read_bytes(), n
    # and a different seed on top of the manifest does change the data
    assert run_cli('generate', '--config', tmp_path / 'a' / 'manifest.json', '--seed', 10, '--output-dir', tmp_path / 'c', '-q').returncode == 0
    assert (tmp_path / 'a' / 'meter_consumption.csv').read_bytes() != (tmp_path / 'c' / 'meter_consumption.csv').read_bytes()

def test_manifest_from_python_matches_cli(run_cli, tmp_path):
    "The seed's Python API writes the same manifest as the command line for the same configuration."
    assert run_cli('generate', *SMALL, '--output-dir', tmp_path / 'cli').returncode == 0
    cfg = GeneratorConfig(num_transformers=12, num_meters=400, num_months=5, random_seed=9, start_month='2022-11',
                          anomaly_rate=0.06, noise_level=0.1, output_dir=tmp_path / 'py')
    pipe = SyntheticDataPipeline(cfg)
    pipe.save_outputs(pipe.generate_all())
    assert (tmp_path / 'py' / 'manifest.json').read_bytes() == (tmp_path / 'cli' / 'manifest.json').read_bytes()
    assert GeneratorConfig.from_json((tmp_path / 'py' / 'manifest.json').read_text()) == GeneratorConfig(
        num_transformers=12, num_meters=400, num_months=5, random_seed=9, start_month='2022-11', anomaly_rate=0.06, noise_level=0.1)

def test_overwrite_needed_on_the_command_line(run_cli, tmp_path):
    assert run_cli('generate', *SMALL, '--output-dir', tmp_path / 'ds').returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / 'ds').iterdir()}
    r = run_cli('generate', *SMALL[:-1], '--seed', 1, '--output-dir', tmp_path / 'ds')
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and '--overwrite' in r.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / 'ds').iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ds']
    r = run_cli('generate', *SMALL, '--seed', 1, '--output-dir', tmp_path / 'ds', '--overwrite')
    assert r.returncode == 0, r.stderr
    assert (tmp_path / 'ds' / 'meter_consumption.csv').read_bytes() != before['meter_consumption.csv']
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ds']

def test_seed_example_twice_in_the_same_folder(tmp_path, monkeypatch):
    "Python keeps the seed's behaviour: save_outputs replaces the dataset it wrote before."
    monkeypatch.chdir(tmp_path)
    for seed in (42, 43):
        pipe = SyntheticDataPipeline(GeneratorConfig(random_seed=seed, num_meters=200, num_transformers=5, output_dir=Path('generated_data')))
        pipe.save_outputs(pipe.generate_all())
    assert json.loads((tmp_path / 'generated_data' / 'manifest.json').read_text())['config']['random_seed'] == 43
    assert sorted(p.name for p in tmp_path.iterdir()) == ['generated_data']
