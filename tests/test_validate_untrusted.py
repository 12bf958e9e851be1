"Issue 12, the validator must not read outside the dataset: each case failed (was reported valid) before the fix."
import hashlib, json, os, shutil
from pathlib import Path
import pandas as pd
import pytest
import ghostload_nb
from ghostload_nb import GeneratorConfig, validate
from ghostload_nb.stream import generate_dataset

@pytest.fixture(scope='module')
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp('untrusted')
    return generate_dataset(GeneratorConfig(num_meters=300, num_transformers=10, num_months=4), root / 'ds', progress=False)

@pytest.fixture
def ds(made, tmp_path):
    return Path(shutil.copytree(made, tmp_path / 'ds'))

def _list_in_manifest(d:Path, name:str, data:bytes):
    man = json.loads((d / 'manifest.json').read_text())
    man['files'][name] = {'bytes': len(data), 'sha256': hashlib.sha256(data).hexdigest()}
    (d / 'manifest.json').write_text(json.dumps(man))

def test_generated_dataset_is_valid(ds):
    assert validate(ds).ok

def test_link_out_listed_in_manifest_is_refused_not_confirmed(ds, tmp_path):
    secret = tmp_path / 'secret.txt'; secret.write_bytes(b'hunter2\n')
    os.symlink(secret, ds / 'notes.txt')
    _list_in_manifest(ds, 'notes.txt', b'hunter2\n')            # a guessed size and checksum of the target
    rep = validate(ds)
    assert not rep.ok
    assert 'files: notes.txt: is a link to a file outside the dataset folder: refused (not read)' in rep.failures, rep.failures
    assert not any('notes.txt' in f and ('bytes' in f or 'SHA-256' in f) for f in rep.failures)

def test_core_table_linked_outside_is_refused(ds, tmp_path):
    shutil.move(ds / 'transformers.csv', tmp_path / 'tx.csv'); os.symlink(tmp_path / 'tx.csv', ds / 'transformers.csv')
    rep = validate(ds)
    assert rep.failures[0] == 'files: transformers.csv: is a link to a file outside the dataset folder: refused (not read)', rep.failures

def test_link_inside_the_folder_is_followed(ds):
    os.rename(ds / 'transformers.geojson', ds / 'copy.geojson'); os.symlink('copy.geojson', ds / 'transformers.geojson')
    rep = validate(ds)
    assert 'geojson' in rep.passed and not any('transformers.geojson' in f and 'refused' in f for f in rep.failures)

@pytest.mark.parametrize('kind', ['folder', 'dev_zero', 'fifo'])
def test_manifest_that_is_not_a_regular_file_is_a_failure(ds, kind):
    m = ds / 'manifest.json'; m.unlink()
    if kind == 'folder': m.mkdir()
    elif kind == 'dev_zero': os.symlink('/dev/zero', m)
    else: os.mkfifo(m)
    rep = validate(ds)                                           # returns (a FIFO must not block)
    assert not rep.ok and any(f.startswith('manifest: manifest.json: ') for f in rep.failures), rep.failures

def test_added_column_without_manifest_is_reported(ds):
    (ds / 'manifest.json').unlink()
    m = pd.read_csv(ds / 'meter_consumption.csv'); m['comment'] = 'ok'; m.to_csv(ds / 'meter_consumption.csv', index=False)
    rep = validate(ds)
    assert rep.failures == ["schema:meter_consumption.csv: meter_consumption.csv: columns not in the ghostload schema: ['comment']"], rep.failures
    assert 'consistency' in rep.passed                          # the added column alone does not stop the other checks

@pytest.mark.parametrize('change,needle', [
    (lambda m: m.update(manifest_version=2), f"manifest_version 2 is newer than this reader's 1 (ghostload_nb {ghostload_nb.__version__})"),
    (lambda m: m['generator'].update(version='3.1.0'), f"written by ghostload_nb 3.1.0, a newer major version than this ghostload_nb {ghostload_nb.__version__}"),
    (lambda m: m.update(format='some other tool'), "format 'some other tool' is not 'ghostload_nb dataset manifest'")])
def test_manifest_from_another_format_or_newer_version_is_flagged(ds, change, needle):
    man = json.loads((ds / 'manifest.json').read_text()); change(man)
    (ds / 'manifest.json').write_text(json.dumps(man))
    rep = validate(ds)
    assert f"manifest: manifest.json: {needle}" in rep.failures, rep.failures

def test_csv_only_dataset_prints_no_formats_line(ds):
    out = validate(ds).summary()
    assert 'formats' not in out and 'skipped' not in out, out
