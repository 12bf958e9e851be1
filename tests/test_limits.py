"""The bounds of `ghostload_nb.limits` hold what they promise: at every bound at once the generated data passes the
validator (energy identities included); far past the mean bound it does not, which is why the bound exists."""
import pytest
from ghostload_nb import GeneratorConfig
from ghostload_nb.config import MAX_MONTHLY_KWH
from ghostload_nb.limits import check_limits, MAX_CV, MAX_TRANSFORMER_LOAD_KWH
from ghostload_nb.stream import generate_dataset
from ghostload_nb.validation import validate

CLASSES = ('residential', 'commercial', 'industrial')

def _run(tmp_path, **kw):
    cfg = check_limits(GeneratorConfig(output_dir=tmp_path / 'ds', **kw))
    generate_dataset(cfg, progress=False, workers=1)
    return validate(tmp_path / 'ds')

def test_data_at_every_bound_at_once_is_valid(tmp_path):
    per_tx = int(MAX_TRANSFORMER_LOAD_KWH // MAX_MONTHLY_KWH)           # the most meters one transformer may carry at this load
    rep = _run(tmp_path, num_meters=20 * per_tx, num_transformers=20, num_months=12, noise_level=2.0, random_seed=3,
               consumption_baselines={k: (MAX_MONTHLY_KWH, MAX_CV * MAX_MONTHLY_KWH) for k in CLASSES})
    assert rep.ok, rep.summary()

def test_far_past_the_mean_bound_the_validator_fails(tmp_path):
    base = {'residential': (150.0, 450.0), 'commercial': (800.0, 300.0), 'industrial': (1e11, 800.0)}
    with pytest.raises(ValueError, match=r"consumption_baselines\['industrial'\] mean=100000000000.0: must be <= 1,860,000"):
        GeneratorConfig(consumption_baselines=base)
    cfg = GeneratorConfig(num_meters=400, num_transformers=10, output_dir=tmp_path / 'ds')
    cfg.consumption_baselines = base                                  # past the check: what an unchecked run would write
    generate_dataset(cfg, progress=False, workers=1)
    rep = validate(tmp_path / 'ds')
    assert not rep.ok and 'transformer_energy' in rep.summary()

def test_last_month_past_9999_is_refused_and_would_break_the_column_names():
    cfg = GeneratorConfig(start_month='9999-12', num_months=1, num_meters=20, num_transformers=2)
    cfg.num_months = 2                                                # past the check
    assert cfg.month_columns[-1] == 'monthly_consumption_1000001'      # what would be written
    with pytest.raises(ValueError, match="last month would be 10000-01; months must end by 9999-12"):
        GeneratorConfig(start_month='9999-12', num_months=2)
