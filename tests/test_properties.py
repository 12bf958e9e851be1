"""Property tests (hypothesis) over valid configurations, small so they are fast: every dataset written passes
`validate`, counts are exact, the same configuration gives byte-identical files, and another seed gives other data.

Examples come from the hypothesis profile of tests/conftest.py: deterministic in CI (derandomized, fixed count);
HYPOTHESIS_PROFILE=explore searches harder with fresh randomness."""
import math, re, tempfile
from pathlib import Path
import pandas as pd
import pytest
from hypothesis import given, strategies as st   # settings: the profiles in conftest.py
from ghostload_nb import GeneratorConfig, SyntheticDataPipeline, validate
from ghostload_nb.config import STANDARD_KVA_RATINGS
from ghostload_nb.pipeline import save_dataset
from ghostload_nb.units import FieldError

NAME_CHARS = st.sampled_from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZñÑ .\'()0123456789')
MISSING = {'NA', 'NaN', 'nan', 'None', 'NULL', 'null', 'N/A', 'n/a'}   # names CSV readers take for missing values are refused
names = st.text(NAME_CHARS, min_size=1, max_size=12).map(str.strip).filter(lambda s: s and s[0].isalpha() and s not in MISSING)

@st.composite
def configs(draw):
    n_tx = draw(st.integers(1, 8))
    classes = draw(st.lists(st.text('abcdefghijnul_', min_size=1, max_size=8).filter(lambda s: s[0].isalpha() and s not in MISSING),
                            min_size=1, max_size=4, unique=True))
    weights = draw(st.lists(st.integers(0, 10), min_size=len(classes), max_size=len(classes)).filter(lambda w: sum(w) > 0))
    shares = {c: w / sum(weights) for c, w in zip(classes, weights)}
    baselines = {c: (draw(st.floats(1.0, 5000.0)), draw(st.floats(0.0, 3000.0))) for c in classes}
    lat0, lon0 = draw(st.floats(-80.0, 79.0)), draw(st.floats(-179.0, 178.0))
    dlat, dlon = draw(st.floats(0.01, 1.0)), draw(st.floats(0.01, 1.0))
    r = draw(st.sampled_from(STANDARD_KVA_RATINGS))
    year, month = draw(st.integers(1950, 2100)), draw(st.integers(1, 12))
    return GeneratorConfig(
        random_seed=draw(st.integers(0, 2**63 - 2)), num_transformers=n_tx, num_meters=draw(st.integers(1, 60)),
        num_months=draw(st.integers(1, 6)), anomaly_rate=draw(st.floats(0.0, 0.6)),
        customer_classes=shares, consumption_baselines=baselines,
        geo_bounds={'lat': (lat0, lat0 + dlat), 'lon': (lon0, lon0 + dlon)},
        transformer_capacity_range=(r * draw(st.floats(0.5, 0.99)), r * draw(st.floats(1.01, 2.0))),
        barangays=draw(st.lists(names, min_size=1, max_size=5, unique=True)),
        start_month=f"{year}-{month:02d}", num_feeders=draw(st.one_of(st.none(), st.integers(1, n_tx))),
        noise_level=draw(st.floats(0.0, 1.0)), **draw(realism()))

@st.composite
def realism(draw):
    "The realism fields: theft mix, onsets, hot spots, look-alikes, unmetered load, sizing, geography."
    from ghostload_nb.anomalies import ANOMALY_PATTERNS
    from ghostload_nb.events import LOOKALIKES
    types = draw(st.lists(st.sampled_from(sorted(ANOMALY_PATTERNS)), min_size=1, max_size=4, unique=True))
    looks = draw(st.lists(st.sampled_from(sorted(LOOKALIKES)), max_size=4, unique=True))
    return dict(anomaly_types={t: draw(st.floats(0.1, 5.0)) for t in types},
                lookalike_rates={k: draw(st.floats(0.0, 0.05)) for k in looks},
                theft_onset_share=draw(st.floats(0.0, 1.0)), theft_hotspot_share=draw(st.floats(0.0, 1.0)),
                theft_hotspot_fraction=draw(st.floats(0.05, 0.95)), unmetered_per_transformer=draw(st.floats(0.0, 3.0)),
                transformer_sizing=draw(st.sampled_from(['expected', 'served'])),
                geography=draw(st.sampled_from(['auto', 'uniform'])), observer_noise=draw(st.floats(0.0, 0.1)))

@st.composite
def presets(draw):
    "A named preset, shrunk to a small grid."
    from ghostload_nb.config import PRESET_NAMES
    return GeneratorConfig.from_preset(draw(st.sampled_from(PRESET_NAMES)), num_meters=draw(st.integers(1, 80)),
                                       num_transformers=draw(st.integers(1, 6)), num_months=draw(st.integers(1, 14)),
                                       random_seed=draw(st.integers(0, 2**32)))

def write(cfg, folder):
    outputs = SyntheticDataPipeline(cfg).generate_all()
    return outputs, save_dataset(outputs, cfg, folder)

def files_of(d):
    return {p.name: p.read_bytes() for p in sorted(Path(d).iterdir())}

@given(st.one_of(configs(), presets()))
def test_every_dataset_passes_validate_with_exact_counts(cfg):
    with tempfile.TemporaryDirectory() as d:
        outputs, out = write(cfg, Path(d) / 'ds')
        rep = validate(out)
        assert rep.ok, rep.summary()
        assert {'checksums', 'consistency', 'counts', 'geojson', 'labels', 'transformer_energy', 'meter_month_labels'} <= set(rep.passed)
        m = pd.read_csv(out / 'meter_consumption.csv')
        assert len(pd.read_csv(out / 'transformers.csv')) == cfg.num_transformers
        assert len(m) == cfg.num_meters
        assert len(pd.read_csv(out / 'anomaly_labels.csv')) == math.floor(cfg.anomaly_rate * cfg.num_meters + 0.5)  # half up
        assert [c for c in m.columns if c.startswith('monthly_consumption_')] == cfg.month_columns
        for f in sorted(out.glob('*.csv')):                            # a zero is written as 0, never -0 (issue 12)
            assert not NEG_ZERO.search(f.read_text(encoding='utf-8')), f.name

NEG_ZERO = re.compile(r'(^|,)-0(\.0*)?(,|$)', re.M)

def test_negative_zero_pattern():
    assert NEG_ZERO.search('a,-0,b') and NEG_ZERO.search('-0.0\n') and NEG_ZERO.search('x,-0')
    assert not NEG_ZERO.search('a,-0.5,b') and not NEG_ZERO.search('a,0,-01') and not NEG_ZERO.search('TX_-0x')

@given(configs())
def test_same_config_same_bytes_other_seed_other_data(cfg):
    with tempfile.TemporaryDirectory() as d:
        _, a = write(cfg, Path(d) / 'a')
        _, b = write(GeneratorConfig.from_json(cfg.to_json()), Path(d) / 'b')
        assert files_of(a) == files_of(b)
        other = GeneratorConfig.from_dict({**cfg.to_dict(), 'random_seed': cfg.random_seed + 1})
        _, c = write(other, Path(d) / 'c')
        fa, fc = files_of(a), files_of(c)
        assert fa['transformers.csv'] != fc['transformers.csv'] and fa['meter_consumption.csv'] != fc['meter_consumption.csv']

BAD_VALUES = {'num_meters': [0, -3, 2.5, True, '10'], 'num_transformers': [0, 10**8], 'num_months': [0, 1201],
              'anomaly_rate': [-0.1, 1.0, float('nan'), float('inf')], 'noise_level': [-1.0, 3.0],
              'start_month': ['2024-13', 'soon', '1899-12'], 'barangays': [[], ['=cmd'], ['A', 'A'], ['NaN']],
              'customer_classes': [{}, {'=x': 1.0}, {'residential': 0.5}], 'geo_bounds': [{'lat': (1, 0), 'lon': (0, 1)}],
              'transformer_capacity_range': [(51.0, 74.0), (5, 1)], 'anomaly_types': [{'teleport': 1.0}, {'h1': -1.0}],
              'lookalike_rates': [{'ufo': 0.1}], 'transformer_sizing': ['big'], 'geography': ['mars'],
              'observer_noise': [0.9], 'random_seed': [-1, 2**63]}

@pytest.mark.parametrize('field, value', [(f, v) for f, vs in BAD_VALUES.items() for v in vs])
def test_bad_value_raises_field_error_naming_its_field(field, value):
    "The CLI maps an error to its flag by `FieldError.config_field`: it must be the field that was set."
    with pytest.raises(FieldError) as e: GeneratorConfig(**{field: value})
    assert e.value.config_field == field
    assert str(e.value).startswith(e.value.field + '=')
