"""The bad-input catalogue: every kind of bad configuration, flag, config file and output path the issue lists.

Used by tests/test_bad_inputs.py (every case, Python and CLI) and rendered as a table in nbs/08b_bad_input.ipynb.
Each needle is literal text the one-line error must contain: the field (or flag) and the offending value."""
import math

INF, NAN = float('inf'), float('nan')
BASE = {'residential': (150.0, 450.0), 'commercial': (800.0, 300.0), 'industrial': (2500.0, 800.0)}
GEO = {'lat': (14.4, 14.7), 'lon': (120.9, 121.2)}

# (category, GeneratorConfig keyword arguments, needle). Every case is also run as a `--config` JSON file.
CONFIG_CASES = [
    ('zero count', dict(num_meters=0), "num_meters=0"),
    ('zero count', dict(num_transformers=0), "num_transformers=0"),
    ('zero count', dict(num_months=0), "num_months=0"),
    ('zero count', dict(num_feeders=0), "num_feeders=0"),
    ('negative count', dict(num_meters=-5), "num_meters=-5"),
    ('negative count', dict(num_transformers=-1), "num_transformers=-1"),
    ('negative count', dict(num_months=-3), "num_months=-3"),
    ('negative count', dict(random_seed=-1), "random_seed=-1"),
    ('huge count', dict(num_meters=10**9), "num_meters=1000000000"),
    ('huge count', dict(num_transformers=10**8), "num_transformers=100000000"),
    ('huge count', dict(num_months=5000), "num_months=5000"),
    ('huge count', dict(random_seed=2**64), "random_seed=18446744073709551616"),
    ('huge count', dict(num_transformers=5, num_feeders=6), "num_feeders=6"),
    ('NaN/inf', dict(anomaly_rate=NAN), "anomaly_rate=nan"),
    ('NaN/inf', dict(anomaly_rate=INF), "anomaly_rate=inf"),
    ('NaN/inf', dict(noise_level=NAN), "noise_level=nan"),
    ('NaN/inf', dict(noise_level=-INF), "noise_level=-inf"),
    ('NaN/inf', dict(consumption_baselines={**BASE, 'residential': (NAN, 450.0)}), "consumption_baselines['residential'] mean=nan"),
    ('NaN/inf', dict(consumption_baselines={**BASE, 'industrial': (2500.0, INF)}), "consumption_baselines['industrial'] sd=inf"),
    ('NaN/inf', dict(geo_bounds={'lat': (NAN, 14.7), 'lon': (120.9, 121.2)}), "geo_bounds['lat']=nan"),
    ('NaN/inf', dict(transformer_capacity_range=(50.0, INF)), "transformer_capacity_range=inf"),
    ('NaN/inf', dict(customer_classes={'residential': NAN, 'commercial': 0.2, 'industrial': 0.1}), "customer_classes['residential']=nan"),
    ('out of range', dict(anomaly_rate=1.5), "anomaly_rate=1.5"),
    ('out of range', dict(anomaly_rate=1.0), "anomaly_rate=1.0"),
    ('out of range', dict(anomaly_rate=-0.1), "anomaly_rate=-0.1"),
    ('out of range', dict(noise_level=-1.0), "noise_level=-1.0"),
    ('out of range', dict(noise_level=5.0), "noise_level=5.0"),
    ('bool for number', dict(num_meters=True), "num_meters=True"),
    ('bool for number', dict(anomaly_rate=False), "anomaly_rate=False"),
    ('bool for number', dict(num_feeders=True), "num_feeders=True"),
    ('bool for number', dict(random_seed=True), "random_seed=True"),
    ('string for number', dict(num_meters='2000'), "num_meters='2000'"),
    ('string for number', dict(anomaly_rate='0.1'), "anomaly_rate='0.1'"),
    ('string for number', dict(random_seed='42'), "random_seed='42'"),
    ('string for number', dict(noise_level='low'), "noise_level='low'"),
    ('string for number', dict(consumption_baselines={**BASE, 'commercial': ('800', 300.0)}), "consumption_baselines['commercial'] mean='800'"),
    ('string for number', dict(geo_bounds={'lat': ('14.4', 14.7), 'lon': (120.9, 121.2)}), "geo_bounds['lat']='14.4'"),
    ('null for number', dict(anomaly_rate=None), "anomaly_rate=None"),
    ('fraction for count', dict(num_meters=2.5), "num_meters=2.5"),
    ('fraction for count', dict(num_months=12.0), "num_months=12.0"),
    ('shares not summing to 1', dict(customer_classes={'residential': 0.5, 'commercial': 0.2, 'industrial': 0.1}), "shares must sum to 1.0 (they sum to 0.8)"),
    ('shares not summing to 1', dict(customer_classes={'residential': 0.7, 'commercial': 0.2, 'industrial': 0.2}), "shares must sum to 1.0 (they sum to 1.1)"),
    ('shares not summing to 1', dict(customer_classes={'residential': 1.2, 'commercial': -0.1, 'industrial': -0.1}), "customer_classes['residential']=1.2"),
    ('shares not summing to 1', dict(customer_classes={}), "customer_classes={}"),
    ('unknown class in baselines', dict(consumption_baselines={**BASE, 'agricultural': (10.0, 1.0)}), "consumption_baselines=['agricultural', 'commercial', 'industrial', 'residential']"),
    ('unknown class in baselines', dict(customer_classes={'residential': 0.8, 'farm': 0.2}), "consumption_baselines=['commercial', 'industrial', 'residential']: must name exactly the customer classes ['farm', 'residential']"),
    ('unknown class in baselines', dict(consumption_baselines={'residential': (150.0, 450.0), 'commercial': (800.0, 300.0)}), "consumption_baselines=['commercial', 'residential']"),
    ('bad baseline', dict(consumption_baselines={**BASE, 'residential': (-150.0, 450.0)}), "consumption_baselines['residential'] mean=-150.0"),
    ('bad baseline', dict(consumption_baselines={**BASE, 'residential': (150.0,)}), "consumption_baselines['residential']=(150.0,)"),
    ('empty barangays', dict(barangays=[]), "barangays=[]"),
    ('empty barangays', dict(barangays=['']), "barangays=''"),
    ('empty barangays', dict(barangays=['Tondo', '   ']), "barangays='   '"),
    ('empty barangays', dict(barangays='Tondo'), "barangays='Tondo'"),
    ('empty barangays', dict(barangays=['Tondo', None]), "barangays=None"),
    ('duplicate barangays', dict(barangays=['Tondo', 'Malate', 'Tondo']), "barangays=['Tondo', 'Malate', 'Tondo']: names must be unique"),
    ('inverted bounds', dict(geo_bounds={'lat': (14.7, 14.4), 'lon': (120.9, 121.2)}), "geo_bounds['lat']=(14.7, 14.4): min must be smaller than max"),
    ('inverted bounds', dict(geo_bounds={'lat': (14.4, 14.7), 'lon': (121.2, 120.9)}), "geo_bounds['lon']=(121.2, 120.9)"),
    ('inverted bounds', dict(geo_bounds={'lat': (14.4, 14.4), 'lon': (120.9, 121.2)}), "geo_bounds['lat']=(14.4, 14.4)"),
    ('off-globe bounds', dict(geo_bounds={'lat': (14.4, 95.0), 'lon': (120.9, 121.2)}), "geo_bounds['lat']=95.0: must be <= 90"),
    ('off-globe bounds', dict(geo_bounds={'lat': (-91.0, 14.7), 'lon': (120.9, 121.2)}), "geo_bounds['lat']=-91.0: must be >= -90"),
    ('off-globe bounds', dict(geo_bounds={'lat': (14.4, 14.7), 'lon': (120.9, 181.0)}), "geo_bounds['lon']=181.0: must be <= 180"),
    ('off-globe bounds', dict(geo_bounds={'lat': (14.4, 14.7)}), "geo_bounds={'lat': (14.4, 14.7)}"),
    ('capacity range without a standard rating', dict(transformer_capacity_range=(51.0, 74.0)), "transformer_capacity_range=(51.0, 74.0): contains no standard rating"),
    ('capacity range without a standard rating', dict(transformer_capacity_range=(2600.0, 9000.0)), "transformer_capacity_range=(2600.0, 9000.0)"),
    ('capacity range without a standard rating', dict(transformer_capacity_range=(500.0, 50.0)), "transformer_capacity_range=(500.0, 50.0): min must be smaller"),
    ('capacity range without a standard rating', dict(transformer_capacity_range=(-10.0, 50.0)), "transformer_capacity_range=-10.0"),
    ('bad start month', dict(start_month='2024-13'), "start_month='2024-13'"),
    ('bad start month', dict(start_month='2024-00'), "start_month='2024-00'"),
    ('bad start month', dict(start_month='yesterday'), "start_month='yesterday'"),
    ('bad start month', dict(start_month='1899-12'), "start_month='1899-12'"),
    ('bad start month', dict(start_month=''), "start_month=''"),
    ('formula in a name', dict(barangays=['Tondo', '=HYPERLINK("http://evil","x")']), "barangays='=HYPERLINK(\"http://evil\",\"x\")'"),
    ('formula in a name', dict(barangays=['+cmd|calc']), "barangays='+cmd|calc'"),
    ('formula in a name', dict(barangays=['-2+3']), "barangays='-2+3'"),
    ('formula in a name', dict(barangays=['@SUM(A1)']), "barangays='@SUM(A1)'"),
    ('formula in a name', dict(customer_classes={'=1+1': 0.7, 'commercial': 0.2, 'industrial': 0.1}), "customer_classes='=1+1'"),
    ('control characters in a name', dict(barangays=['Tondo\nMalate']), "barangays='Tondo\\nMalate'"),
    ('control characters in a name', dict(customer_classes={'resi,dential': 0.7, 'commercial': 0.2, 'industrial': 0.1}), "customer_classes='resi,dential'"),
    ('bad output path', dict(output_dir=''), "output_dir=''"),
    ('bad output path', dict(output_dir=None), "output_dir=None"),
]

# Command-line flags: (category, argv after `ghostload generate`, needle). Exit 2, one line on stderr.
FLAG_CASES = [
    ('zero count', ['--num-meters', '0'], "--num-meters: num_meters=0"),
    ('zero count', ['--num-transformers', '0'], "--num-transformers: num_transformers=0"),
    ('zero count', ['--num-months', '0'], "--num-months: num_months=0"),
    ('negative count', ['--num-meters', '-5'], "--num-meters: num_meters=-5"),
    ('negative count', ['--seed', '-1'], "--seed: random_seed=-1"),
    ('huge count', ['--num-meters', '1000000000'], "--num-meters: num_meters=1000000000"),
    ('huge count', ['--num-months', '99999'], "--num-months: num_months=99999"),
    ('huge count', ['--num-feeders', '999'], "--num-feeders: num_feeders=999"),
    ('NaN/inf', ['--anomaly-rate', 'nan'], "--anomaly-rate: anomaly_rate=nan"),
    ('NaN/inf', ['--anomaly-rate', 'inf'], "--anomaly-rate: anomaly_rate=inf"),
    ('NaN/inf', ['--noise-level=-inf'], "--noise-level: noise_level=-inf"),
    ('out of range', ['--anomaly-rate', '1.5'], "--anomaly-rate: anomaly_rate=1.5"),
    ('string for number', ['--num-meters', 'lots'], "argument --num-meters: invalid int value: 'lots'"),
    ('string for number', ['--anomaly-rate', 'abc'], "argument --anomaly-rate: invalid float value: 'abc'"),
    ('string for number', ['--seed', 'true'], "argument --seed: invalid int value: 'true'"),
    ('fraction for count', ['--num-meters', '2.5'], "argument --num-meters: invalid int value: '2.5'"),
    ('empty value', ['--num-meters', ''], "argument --num-meters: invalid int value: ''"),
    ('bad start month', ['--start-month', '2024-13'], "--start-month: start_month='2024-13'"),
    ('bad start month', ['--start-month', 'yesterday'], "--start-month: start_month='yesterday'"),
    ('bad start month', ['--start-month', ''], "--start-month: start_month=''"),
    ('unknown flag', ['--bogus'], "unrecognized arguments: --bogus"),
    ('missing value', ['--num-meters'], "argument --num-meters: expected one argument"),
    ('bad output path', ['--output-dir', ''], "--output-dir: output_dir=''"),
]

# Whole command lines (no `generate` prepended): exit 2, one line.
COMMAND_CASES = [
    ('no command', [], "the following arguments are required: COMMAND"),
    ('unknown command', ['fly'], "invalid choice: 'fly'"),
]

# `--config FILE` contents that are not a usable configuration: (category, file text, needle).
CONFIG_FILE_CASES = [
    ('malformed JSON', '{"num_meters": 10,', "is not valid JSON"),
    ('malformed JSON', '{"num_meters": 10,}', "is not valid JSON"),
    ('malformed JSON', "{'num_meters': 10}", "is not valid JSON"),
    ('malformed JSON', '', "is not valid JSON"),
    ('malformed JSON', 'num_meters = 10', "is not valid JSON"),
    ('not an object', '[1, 2, 3]', "config='list': must be a JSON object"),
    ('not an object', '"generated_data"', "config='str': must be a JSON object"),
    ('not an object', 'null', "config='NoneType': must be a JSON object"),
    ('unknown field', '{"num_meterz": 10}', "config='num_meterz': unknown field"),
    ('manifest with a broken config', '{"config": [], "files": {}}', "config='list': must be a JSON object"),
    ('wrong nested type', '{"geo_bounds": [14.4, 14.7]}', "geo_bounds=[14.4, 14.7]"),
    ('NaN literal', '{"anomaly_rate": NaN}', "anomaly_rate=nan"),
]

def case_id(category, value):
    "Short readable pytest id."
    return f"{category}: {value!r}"[:70]
