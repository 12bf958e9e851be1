"The one reader: load_dataset on CSV and Parquet gives the same typed frames; evaluate and map accept Parquet-only datasets; bad tables are one DatasetError."
import shutil
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
from ghostload_nb import Dataset, DatasetError, GeneratorConfig, load_dataset
from ghostload_nb.cli import main
from ghostload_nb.stream import generate_dataset
from ghostload_nb.dataset import impute_reads

@pytest.fixture(scope='module')
def sets(tmp_path_factory):
    root = tmp_path_factory.mktemp('reader')
    cfg = GeneratorConfig.from_preset('metro_manila', num_meters=800, num_transformers=20, num_months=12, random_seed=7)
    return {f: generate_dataset(cfg, root / f, formats=f, progress=False) for f in ('csv', 'parquet')}

def test_csv_and_parquet_read_the_same(sets):
    a, b = load_dataset(sets['csv']), load_dataset(sets['parquet'])
    assert isinstance(a, Dataset) and (a.form, b.form) == ('csv', 'parquet')
    for name in ('transformers', 'meters', 'labels', 'events', 'energy', 'month_labels'):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    assert a.meters.customer_class.dtype == 'category' and str(a.energy.month.dtype) == 'datetime64[ms]'
    assert a.months[0] == '2024-01' and len(a.months) == 12 and a.manifest['config']['num_meters'] == 800

def test_to_xy(sets):
    ds = load_dataset(sets['parquet'])
    X, y = ds.to_xy()
    assert X.shape == (800, 12) and y.shape == (800,) and y.sum() == len(ds.labels)
    raw = pd.read_csv(sets['csv'] / 'meter_consumption.csv')[ds.month_columns].to_numpy()   # empty where a month has no read
    np.testing.assert_array_equal(ds.to_xy(impute=False)[0], raw)                             # NaN counts as equal here
    assert not np.isnan(X).any() and np.isnan(raw).any()                                      # to_xy fills the gaps by default
    np.testing.assert_array_equal(X, impute_reads(raw))
    Xc, _ = ds.to_xy(with_class=True)
    assert Xc.shape[1] == 12 + ds.meters.customer_class.nunique() and (Xc[:, 12:].sum(1) == 1).all()

def test_plot_meter(sets):
    import matplotlib; matplotlib.use('Agg')
    ds = load_dataset(sets['csv'])
    ax = ds.plot_meter(ds.labels.meter_id.iloc[0])
    assert ax.figure is not None and len(ax.lines) == 2 and len(ax.patches) >= 1   # billed + true; theft months shaded

def test_evaluate_parquet_only_equals_csv(sets):
    from ghostload_nb.evaluate import evaluate_detectors
    a, b = (evaluate_detectors(load_dataset(sets[f]), k=50) for f in ('csv', 'parquet'))
    assert a == b and set(a) == {'naive_iforest', 'engineered_iforest', 'energy_balance', 'combined'}

def test_map_parquet_only_equals_csv(sets):
    from ghostload_nb.maps import make_map
    a, b = (make_map(sets[f]).get_root().render() for f in ('csv', 'parquet'))
    assert a == b and 'gl-transformer gl-tx-19' in a

def _damage(d:Path, how:str):
    m = pd.read_csv(d / 'meter_consumption.csv', dtype=str)
    if how == 'missing': m = m.drop(columns='lat')
    elif how == 'blank': m['customer_class'] = ''
    elif how == 'text': m.loc[3, 'monthly_consumption_202405'] = 'twelve'
    m.to_csv(d / 'meter_consumption.csv', index=False)

@pytest.mark.parametrize('how,column', [('missing', 'lat'), ('blank', 'customer_class'), ('text', 'monthly_consumption_202405')])
@pytest.mark.parametrize('command', ['evaluate', 'map'])
def test_bad_table_is_one_line_exit_2(sets, tmp_path, capsys, how, column, command):
    d = Path(shutil.copytree(sets['csv'], tmp_path / 'd')); _damage(d, how)
    with pytest.raises(DatasetError) as e: load_dataset(d)
    assert (e.value.file, e.value.column) == ('meter_consumption.csv', column)
    assert main([command, str(d)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and repr(column) in err and 'Traceback' not in err, err
    assert not (d / 'map.html').exists()
