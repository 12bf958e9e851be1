"""Untrusted text: names chosen by users reach CSV cells (where a spreadsheet may run them as formulas) and HTML maps
(where they could run as script). Formula-like names are refused (tests/test_bad_inputs.py); names that are legal but
full of markup are written to CSV as plain text and escaped in HTML."""
import pandas as pd
import pytest
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline, validate
from ghostload_nb.maps import make_map, save_map

HOSTILE_BARANGAYS = ['<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', "</script><script>alert(3)</script>",
                     'Santo Niño, Annex', "${alert(4)}`"]
HOSTILE_CLASSES = {'<b>res</b>': 0.7, 'com&mercial': 0.3}
PAYLOADS = ['<img src=x', '<svg onload', '<script>alert(3)', '<b>res</b>', '${alert(4)}']

@pytest.fixture(scope='module')
def hostile(tmp_path_factory):
    cfg = GeneratorConfig(num_meters=80, num_transformers=6, num_months=3, barangays=HOSTILE_BARANGAYS,
                          customer_classes=HOSTILE_CLASSES,
                          consumption_baselines={'<b>res</b>': (150.0, 100.0), 'com&mercial': (800.0, 300.0)},
                          geography='uniform', output_dir=tmp_path_factory.mktemp('h') / 'ds')
    pipe = SyntheticDataPipeline(cfg)
    outputs = pipe.generate_all()
    return outputs, pipe.save_outputs(outputs)

def test_markup_names_survive_csv_as_plain_text(hostile):
    outputs, out = hostile
    tx = pd.read_csv(out / 'transformers.csv', dtype=str)
    assert set(tx.barangay) <= set(HOSTILE_BARANGAYS) and len(set(tx.barangay)) > 1
    m = pd.read_csv(out / 'meter_consumption.csv', dtype=str)
    assert set(m.customer_class) == set(HOSTILE_CLASSES)
    assert validate(out).ok

def test_names_are_escaped_in_the_map(hostile, tmp_path):
    outputs, out = hostile
    save_map(make_map(outputs), tmp_path / 'map.html')
    page = (tmp_path / 'map.html').read_text()
    for p in PAYLOADS: assert p not in page, p
    assert '&lt;img src=x onerror=alert(1)&gt;' in page or '&amp;lt;img' in page

@pytest.mark.parametrize('name', ['=1+1', '+cmd', '-x', '@SUM(A1)', ' =pad'])
def test_formula_names_refused_everywhere_they_can_enter(name):
    with pytest.raises(ValueError, match='barangays='): GeneratorConfig(barangays=['Tondo', name])
    with pytest.raises(ValueError, match='customer_classes='):
        GeneratorConfig(customer_classes={name: 1.0}, consumption_baselines={name: (150.0, 10.0)})
