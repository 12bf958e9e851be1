"Guard rails (ghostload_nb.guards): refusals with one-line messages, nothing written by a check, estimates vs files written."
from ghostload_nb.card import CARD_FILES
import collections, os, shutil, tempfile
from pathlib import Path
import pytest
import ghostload_nb.guards as guards
from ghostload_nb.config import GeneratorConfig
from ghostload_nb.guards import RunEstimate, estimate_run, check_disk, check_memory, available_memory, STREAMING_HINT
from ghostload_nb.pipeline import SyntheticDataPipeline, save_dataset
from ghostload_nb.stream import generate_dataset

Usage = collections.namedtuple('Usage', 'total used free')

@pytest.fixture(scope='module')
def small_estimate():
    return estimate_run(GeneratorConfig(num_meters=500, num_transformers=10))

def fake_disk(free, seen=None):
    def disk_usage(path):
        if seen is not None: seen.append(Path(path))
        return Usage(10**15, 10**15 - free, free)
    return disk_usage

def test_check_disk_refuses_and_creates_nothing(monkeypatch, tmp_path, small_estimate):
    seen = []
    monkeypatch.setattr(shutil, 'disk_usage', fake_disk(1000, seen))
    target = tmp_path / 'new' / 'dataset'
    with pytest.raises(ValueError) as e:
        check_disk(small_estimate, target)
    msg = str(e.value)
    assert msg.startswith(f"output_dir={str(target)!r}: the run needs about ")
    assert "only 1000 B is free on" in msg and str(tmp_path) in msg
    assert "\n" not in msg
    assert seen == [tmp_path]                      # the first existing ancestor is measured
    assert list(tmp_path.iterdir()) == []          # the refused check created nothing

def test_check_disk_margin_boundary(monkeypatch, tmp_path):
    est = RunEstimate({'a.csv': 10 * 2**30}, 10 * 2**30, 1.0, 1, 1, 10, 12)   # needs 10 GiB + 10% margin = 11 GiB
    monkeypatch.setattr(shutil, 'disk_usage', fake_disk(11 * 2**30))
    assert check_disk(est, tmp_path / 'out') is None
    monkeypatch.setattr(shutil, 'disk_usage', fake_disk(11 * 2**30 - 1))
    with pytest.raises(ValueError, match=r"needs about 11.0 GiB \(estimate 10.0 GiB \+ 10%\) but only 11.0 GiB is free"):
        check_disk(est, tmp_path / 'out')
    monkeypatch.setattr(shutil, 'disk_usage', fake_disk(3 * 2**30))
    with pytest.raises(ValueError, match=r"but only 3.0 GiB is free"):
        check_disk(est, tmp_path / 'out')

def test_check_disk_on_real_disk_passes_for_small_run(tmp_path, small_estimate):
    assert check_disk(small_estimate, tmp_path / 'x') is None
    assert not (tmp_path / 'x').exists()

def test_check_memory_refuses_and_points_to_streaming(monkeypatch, small_estimate):
    monkeypatch.setattr(guards, 'available_memory', lambda: 10**6)
    with pytest.raises(ValueError) as e:
        check_memory(small_estimate)
    msg = str(e.value)
    assert msg.startswith("num_meters=500: in-memory generate_all of 500 meters x 12 months needs about ")
    assert "but only 976.6 KiB of memory is available" in msg
    assert msg.endswith("use `ghostload generate` (streams to disk) or ghostload_nb.stream.generate_dataset")
    assert STREAMING_HINT in msg and "\n" not in msg

def test_check_memory_passes_when_it_fits(monkeypatch, small_estimate):
    monkeypatch.setattr(guards, 'available_memory', lambda: small_estimate.memory_in_memory)
    assert check_memory(small_estimate) is None

def test_estimate_run_leaves_no_files(monkeypatch, tmp_path):
    tmp = tmp_path / 'tmp'; tmp.mkdir()
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp))
    monkeypatch.chdir(tmp_path)
    estimate_run(GeneratorConfig(num_meters=20_000, num_transformers=500), formats=('csv', 'parquet'))
    assert list(tmp.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ['tmp']

def test_estimate_within_15_percent_of_files_written(tmp_path):
    cfg = GeneratorConfig.from_preset('metro_manila', num_meters=15_000, num_transformers=300)
    est = estimate_run(cfg)
    out = save_dataset(SyntheticDataPipeline(cfg).generate_all(), cfg, tmp_path / 'ds')
    measured = {p.name: p.stat().st_size for p in out.iterdir()}
    card = {n: measured.pop(n) for n in CARD_FILES}           # the card and datapackage (~40 kB) are not estimated
    assert set(est.files) == set(measured) and sum(card.values()) < 100_000
    for name, size in measured.items():
        if size > 10_000: assert 0.85 <= est.files[name] / size <= 1.15, (name, est.files[name], size)
    assert 0.95 <= est.disk_bytes / sum(measured.values()) <= 1.05

def test_parquet_estimate_against_streaming_writer(tmp_path):
    cfg = GeneratorConfig(num_meters=70_000, num_transformers=1_750, num_months=6)   # two parts per partitioned table
    est = estimate_run(cfg, formats='parquet')
    out = generate_dataset(cfg, tmp_path / 'ds', formats='parquet', workers=2, progress=False)
    measured = {p.name: sum(q.stat().st_size for q in p.rglob('*') if q.is_file()) if p.is_dir() else p.stat().st_size
                for p in out.iterdir()}
    card = {n: measured.pop(n) for n in CARD_FILES}           # the card and datapackage are not estimated
    assert set(est.files) == set(measured) and sum(card.values()) < 100_000
    assert len(list((out / 'meter_month_labels.parquet').iterdir())) == 2
    for name, size in measured.items():
        if size > 10_000: assert 0.7 <= est.files[name] / size <= 1.6, (name, est.files[name], size)
    assert 0.9 <= est.disk_bytes / sum(measured.values()) <= 1.35

def test_streaming_memory_does_not_grow_with_meters():
    a = estimate_run(GeneratorConfig(num_meters=10**6, num_transformers=1000))
    b = estimate_run(GeneratorConfig(num_meters=10**7, num_transformers=1000))
    assert a.memory_streaming == b.memory_streaming
    assert b.memory_in_memory > 5 * a.memory_in_memory
    assert b.disk_bytes > 9 * a.disk_bytes

@pytest.mark.parametrize('kw, text', [(dict(formats=('csv', 'xlsx')), "formats=('csv', 'xlsx'): must be 'csv' and/or 'parquet'"),
                                      (dict(formats=()), "formats=(): must be"),
                                      (dict(workers=0), "workers=0: must be an integer >= 1"),
                                      (dict(workers=1.5), "workers=1.5: must be an integer >= 1")])
def test_estimate_run_bad_input(kw, text):
    with pytest.raises(ValueError) as e:
        estimate_run(GeneratorConfig(), **kw)
    assert text in str(e.value) and "\n" not in str(e.value)

def test_formats_select_files():
    csv = estimate_run(GeneratorConfig(), 'csv').files
    pq = estimate_run(GeneratorConfig(), 'parquet').files
    assert 'meter_month_labels.csv' in csv and not any(f.endswith('.parquet') for f in csv)
    assert 'meter_month_labels.parquet' in pq and not any(f.endswith('.csv') for f in pq)
    assert {'transformers.geojson', 'generation_report.txt', 'manifest.json'} <= set(csv) & set(pq)

def test_available_memory_reads_meminfo_and_falls_back(monkeypatch):
    text = Path('/proc/meminfo').read_text()
    kb = next(int(l.split()[1]) for l in text.splitlines() if l.startswith('MemAvailable:'))
    assert abs(available_memory() - kb * 1024) < 2**30          # the system moves a little between two reads
    monkeypatch.setattr(guards, '_meminfo_available', lambda text: None)
    fallback = available_memory()
    assert 0 < fallback <= os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE')
