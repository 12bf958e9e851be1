"""The data dictionary, dataset card and Data Package (ghostload_nb.card) against the schema and the data.

`datapackage.json` is validated with `frictionless`, the Frictionless Data reference implementation: field types,
constraints (ranges, enums, ID patterns), primary and foreign keys, byte sizes and SHA-256 of every file. The
expected values here are read from the files themselves (csv module, pyarrow), not from the code under test."""
import csv, json, re, shutil
from pathlib import Path
import pyarrow.parquet as pq
import pytest
from frictionless import Package
from ghostload_nb import schema
from ghostload_nb.card import (CARD_FILES, datapackage, dataset_card, dictionary_markdown, table_schema, undocumented,
                               write_card)
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.pipeline import SyntheticDataPipeline

SMALL = dict(num_transformers=6, num_meters=240, num_months=6)

def make(folder:Path, preset:str|None=None, **sizes)->Path:
    sizes = {**SMALL, **sizes}
    cfg = (GeneratorConfig.from_preset(preset, output_dir=folder, **sizes) if preset else GeneratorConfig(output_dir=folder, **sizes))
    p = SyntheticDataPipeline(cfg)
    p.save_outputs(p.generate_all())
    return folder

@pytest.fixture(scope='module')
def seed_ds(tmp_path_factory): return make(tmp_path_factory.mktemp('card') / 'seed_ds')

def header(path:Path)->list:
    with open(path, newline='', encoding='utf-8') as f: return next(csv.reader(f))

def nrows(path:Path)->int:
    with open(path, newline='', encoding='utf-8') as f: return sum(1 for _ in csv.reader(f)) - 1

def test_every_schema_column_is_documented():
    assert undocumented() == []

def test_undocumented_catches_a_column_added_without_documentation(monkeypatch):
    t = schema.TRANSFORMERS
    bad = schema.Table(t.name, t.row, t.meaning, t.columns + (schema.Column('voltage_kv', 'float64', ''),
                                                              schema.Column('rated_kwh', 'float64', 'Rated energy per month')), key=t.key)
    monkeypatch.setitem(schema.TABLES, t.csv, bad)
    assert undocumented() == ['transformers.csv: voltage_kv: no meaning', 'transformers.csv: rated_kwh: no unit']

def test_dictionary_lists_every_file_and_column_of_the_schema():
    md = dictionary_markdown()
    for t in schema.TABLES.values():
        assert f"## {t.name}\n" in md and f"`{t.csv}`" in md
        section = md.split(f"## {t.name}\n", 1)[1].split('\n## ', 1)[0]
        for c in t.columns:
            row = next(l for l in section.splitlines() if l.startswith(f"| `{c.name}` |"))
            assert c.dtype in row and (c.unit or '') in row and c.role in row
    for name in schema.OTHER_FILES: assert f"`{name}`" in md
    assert 'EPSG:4326' in md and 'How the tables relate' in md

def test_every_written_column_is_in_the_schema(seed_ds):
    "Headers of the files a dataset really has: each column is described (a column written but not documented fails)."
    for f in sorted(seed_ds.glob('*.csv')):
        t = schema.table_of(f.name)
        assert t is not None, f.name
        missing = [c for c in header(f) if t.column(c) is None]
        assert missing == [], (f.name, missing)

def test_every_file_of_a_dataset_with_every_option_is_in_the_schema(tmp_path):
    "Billing defects, look-alikes, energy balance: each table file written is described, and each of its columns."
    from ghostload_nb.defects import REALISTIC_DEFECT_RATES
    ds = tmp_path / 'all'
    p = SyntheticDataPipeline(GeneratorConfig.from_preset('metro_manila', output_dir=ds, defect_rates=REALISTIC_DEFECT_RATES, **SMALL))
    p.save_outputs(p.generate_all())
    undescribed = [f.name for f in sorted(ds.glob('*.csv')) if schema.table_of(f.name) is None]
    undescribed += [f"{f.name}: {c}" for f in sorted(ds.glob('*.csv')) if schema.table_of(f.name) for c in header(f)
                    if schema.table_of(f.name).column(c) is None]
    assert undescribed == []
    report = Package(datapackage(ds), basepath=str(ds)).validate()
    assert errors(report) == []

def test_datapackage_validates_with_frictionless(seed_ds):
    dp = datapackage(seed_ds)
    report = Package(dp, basepath=str(seed_ds)).validate()
    errors = [(t.name, e.type, e.note) for t in report.tasks for e in t.errors]
    assert report.valid, errors[:10]
    csvs = sorted(p.name for p in seed_ds.glob('*.csv'))
    tabular = {r['path']: r for r in dp['resources'] if r.get('profile') == 'tabular-data-resource'}
    assert sorted(tabular) == csvs
    for name, r in tabular.items():
        assert [f['name'] for f in r['schema']['fields']] == header(seed_ds / name)
        assert r['rows'] == nrows(seed_ds / name)
    assert {r['path'] for r in dp['resources']} == set(csvs) | {'transformers.geojson', 'generation_report.txt', 'manifest.json'}

def test_frictionless_catches_data_that_breaks_the_schema(seed_ds, tmp_path):
    "The validation can fail: a negative kWh and a malformed meter ID in a copy (manifest hashes updated to match)."
    ds = tmp_path / 'broken'
    shutil.copytree(seed_ds, ds)
    f = ds / 'meter_month_labels.csv'
    lines = f.read_text().splitlines()
    cells = lines[1].split(','); cells[0] = 'MTR_1'; cells[2] = '-5.0'; lines[1] = ','.join(cells)
    f.write_text('\n'.join(lines) + '\n')
    m = json.loads((ds / 'manifest.json').read_text())
    import hashlib
    m['files']['meter_month_labels.csv'].update(bytes=f.stat().st_size, sha256=hashlib.sha256(f.read_bytes()).hexdigest())
    report = Package(datapackage(ds, manifest=m), basepath=str(ds)).validate()
    errs = {(t.name, e.type, getattr(e, 'field_name', None)) for t in report.tasks for e in t.errors}
    assert ('meter_month_labels', 'constraint-error', 'true_kwh') in errs
    assert ('meter_month_labels', 'constraint-error', 'meter_id') in errs or ('meter_month_labels', 'foreign-key', None) in errs

def test_frictionless_checks_the_hashes(seed_ds, tmp_path):
    ds = tmp_path / 'tampered'
    shutil.copytree(seed_ds, ds)
    with open(ds / 'transformers.csv', 'a') as f: f.write('TX_9999,FD_01,Nowhere,14.5,121.0,50\n')
    report = Package(datapackage(ds), basepath=str(ds)).validate()
    assert not report.valid
    types = {e.type for t in report.tasks if t.name == 'transformers' for e in t.errors}
    assert types & {'hash-count', 'byte-count'}, types


def errors(report)->list:
    return [(t.name, e.type, getattr(e, 'field_name', None), getattr(e, 'cell', None)) for t in report.tasks for e in t.errors]

@pytest.mark.parametrize('preset,sizes', [('sgcc_like', {}), ('metro_manila', {}), ('metro_manila', dict(num_transformers=5, num_meters=200))])
def test_preset_datasets_validate(preset, sizes, tmp_path):
    "Every preset's data against its Data Package, every check."
    ds = make(tmp_path / preset, preset, **sizes)
    report = Package(datapackage(ds), basepath=str(ds)).validate()
    assert errors(report) == []

def test_theft_unbilled_matches_the_schema(tmp_path):
    "A flat thief bills its mean, so a low month's theft_unbilled_kwh can be negative: the schema allows it (no minimum)."
    assert schema.TABLES['transformer_energy.csv'].column('theft_unbilled_kwh').min is None
    found = []
    for preset in ('sgcc_like', 'metro_manila'):
        ds = make(tmp_path / preset, preset)
        found += errors(Package(datapackage(ds), basepath=str(ds)).validate())
    assert found == []

def test_parquet_dataset_descriptor(tmp_path):
    "A Parquet dataset: one resource per file or part, each schema matching the part's own columns; descriptor valid."
    from ghostload_nb.stream import generate_dataset
    out = tmp_path / 'pq'
    generate_dataset(GeneratorConfig(output_dir=out, **SMALL), formats='parquet', workers=1)
    dp = datapackage(out)
    assert Package.validate_descriptor(dp).valid
    parts = sorted(p.relative_to(out).as_posix() for p in out.rglob('*.parquet') if p.is_file())
    tab = {r['path']: r for r in dp['resources'] if r.get('profile') == 'tabular-data-resource'}
    assert sorted(tab) == parts
    for rel, r in tab.items():
        assert [f['name'] for f in r['schema']['fields']] == pq.read_schema(out / rel).names
        assert 'foreignKeys' not in r['schema']

def test_card_answers_the_datasheet_questions(seed_ds):
    card = dataset_card(seed_ds, name='seed_ds')
    for sec in ('## Motivation', '## Composition', '## Generation process', '### Parameters', '## Uses',
                '## Known limitations', '## Distribution and licence', '## Maintenance', '## How to cite', '## Data dictionary'):
        assert f"\n{sec}\n" in card, sec
    assert f"{nrows(seed_ds / 'anomaly_labels.csv'):,} thieves" in card
    assert f"{nrows(seed_ds / 'meter_consumption.csv'):,} customer meters" in card
    cfg = json.loads((seed_ds / 'manifest.json').read_text())['config']
    for k in cfg: assert f"| `{k}` |" in card, k
    assert 'CC-BY-4.0' in card and '@misc{' in card and 'doi:10.1145/3458723' in card

def test_write_card_writes_both_files_deterministically(seed_ds, tmp_path):
    ds = tmp_path / 'copy'
    shutil.copytree(seed_ds, ds)
    paths = write_card(ds)
    assert [p.name for p in paths] == list(CARD_FILES)
    first = [p.read_bytes() for p in paths]
    write_card(ds)
    assert [p.read_bytes() for p in paths] == first
    other = tmp_path / 'elsewhere' / 'another_name'             # same configuration, another folder: the same bytes
    shutil.copytree(seed_ds, other)
    assert [p.read_bytes() for p in write_card(other)] == first
    cfg = json.loads((ds / 'manifest.json').read_text())['config']
    assert json.loads(first[1])['name'] == f"ghostload-seed{cfg['random_seed']}-{cfg['num_meters']}m-{cfg['num_months']}mo-{cfg['start_month']}"
    assert json.loads(write_card(ds, name='x')[1].read_text())['name'] == 'x'
    # the card files are not in the manifest and do not change it
    assert not set(CARD_FILES) & set(json.loads((ds / 'manifest.json').read_text())['files'])

def test_unknown_column_is_refused():
    with pytest.raises(ValueError, match=r"transformers.csv: column 'colour'"):
        table_schema(schema.TRANSFORMERS, ['transformer_id', 'colour'])
