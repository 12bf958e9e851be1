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
    ('name read as missing', dict(barangays=['Tondo', 'NaN']), "barangays='NaN'"),
    ('name read as missing', dict(barangays=['NA']), "barangays='NA'"),
    ('name read as missing', dict(customer_classes={'null': 0.7, 'commercial': 0.2, 'industrial': 0.1}), "customer_classes='null'"),
    ('control characters in a name', dict(customer_classes={'resi,dential': 0.7, 'commercial': 0.2, 'industrial': 0.1}), "customer_classes='resi,dential'"),
    ('unknown anomaly type', dict(anomaly_types={'teleport': 1.0}), "anomaly_types='teleport': unknown"),
    ('unknown anomaly type', dict(anomaly_types='h1'), "anomaly_types='h1'"),
    ('unknown anomaly type', dict(anomaly_types={}), "anomaly_types={}: needs at least one positive weight"),
    ('unknown anomaly type', dict(anomaly_types={'low_consumption': 0.0}), "anomaly_types={'low_consumption': 0.0}"),
    ('unknown anomaly type', dict(anomaly_types={'low_consumption': -1.0}), "anomaly_types['low_consumption']=-1.0"),
    ('NaN/inf', dict(anomaly_types={'h1': NAN}), "anomaly_types['h1']=nan"),
    ('bool for number', dict(anomaly_types={'h1': True}), "anomaly_types['h1']=True"),
    ('unknown look-alike', dict(lookalike_rates={'ghosts': 0.1}), "lookalike_rates='ghosts': unknown"),
    ('out of range', dict(lookalike_rates={'vacancy': 0.99}), "lookalike_rates={'vacancy': 0.99}: plus anomaly_rate=0.075 exceeds 1"),
    ('out of range', dict(theft_onset_share=1.5), "theft_onset_share=1.5"),
    ('out of range', dict(theft_hotspot_fraction=0.0), "theft_hotspot_fraction=0.0"),
    ('NaN/inf', dict(observer_noise=NAN), "observer_noise=nan"),
    ('huge count', dict(unmetered_per_transformer=1e6), "unmetered_per_transformer=1000000.0"),
    ('unknown option', dict(transformer_sizing='biggest'), "transformer_sizing='biggest'"),
    ('unknown option', dict(geography='mars'), "geography='mars'"),
    ('bad output path', dict(output_dir=''), "output_dir=''"),
    ('bound: months past 9999-12', dict(start_month='9999-12', num_months=2), "start_month='9999-12': with num_months=2 the last month would be 10000-01"),
    ('bound: consumption beyond physics', dict(consumption_baselines={**BASE, 'commercial': (5e6, 300.0)}), "consumption_baselines['commercial'] mean=5000000.0: must be <= 1,860,000 kWh"),
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
    ('unknown anomaly type', ['--anomaly-types', 'teleport=1'], "--anomaly-types: anomaly_types='teleport': unknown"),
    ('unknown anomaly type', ['--anomaly-types', 'h1=-1'], "--anomaly-types: anomaly_types['h1']=-1.0"),
    ('unknown anomaly type', ['--anomaly-types', 'h1'], "argument --anomaly-types: 'h1': expected name=weight"),
    ('unknown anomaly type', ['--anomaly-types', '=1'], "argument --anomaly-types: '=1': expected name=weight"),
    ('NaN/inf', ['--anomaly-types', 'h1=nan'], "argument --anomaly-types: 'h1=nan': expected name=weight"),
    ('unknown preset', ['--preset', 'mars'], "argument --preset: invalid choice: 'mars'"),
    ('unknown preset', ['--preset', 'Metro_Manila'], "argument --preset: invalid choice: 'Metro_Manila'"),
    ('unknown preset', ['--preset', ''], "argument --preset: invalid choice: ''"),
    ('conflicting options', ['--preset', 'seed', '--config', 'any.json'], "--preset and --config cannot be combined"),
    ('unknown flag', ['--bogus'], "unrecognized arguments: --bogus"),
    ('missing value', ['--num-meters'], "argument --num-meters: expected one argument"),
    ('bad output path', ['--output-dir', ''], "--output-dir: output_dir=''"),
    ('abbreviated flag', ['--num-met', '5'], "unrecognized arguments: --num-met 5; did you mean --num-meters?"),
    ('abbreviated flag', ['--seed=1', '--over'], "unrecognized arguments: --over; did you mean --overwrite?"),
    ('bound: months past 9999-12', ['--start-month', '9999-12', '--num-months', '2'],
     "--start-month: start_month='9999-12': with num_months=2 the last month would be 10000-01; months must end by 9999-12"),
    ('bound: months past 9999-12', ['--start-month', '9990-01', '--num-months', '1200'], "the last month would be 10089-12"),
    ('bound: more transformers than meters', ['--num-transformers', '10000000', '--num-meters', '10'],
     "--num-transformers: num_transformers=10000000: must be <= num_meters=10"),
    ('bound: transformer load', ['--num-meters', '100000000', '--num-transformers', '1'],
     "--num-transformers: num_transformers=1: 100,000,000 meters on 1 transformers load each with"),
]

# Whole command lines (no `generate` prepended): exit 2, one line.
COMMAND_CASES = [
    ('unknown command', ['fly'], "invalid choice: 'fly' (choose from 'generate', 'evaluate', 'map', 'validate', 'export')"),
    ('unknown command', ['genrate'], "invalid choice: 'genrate'; did you mean 'generate'?"),
    ('flag before the command', ['--num-meters', '5'], "invalid choice: '5' (choose from 'generate', 'evaluate', 'map', 'validate', 'export')"),
    ('flag before the command', ['--num-meters'], "the following arguments are required: COMMAND"),
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

# Python-only: named presets and the names users register for their own patterns (they become CSV cells).
PRESET_CASES = [  # (category, preset name, overrides, needle) for GeneratorConfig.from_preset
    ('unknown preset', 'mars', {}, "preset='mars': unknown"),
    ('unknown preset', 'Metro_Manila', {}, "preset='Metro_Manila'"),
    ('unknown preset', None, {}, "preset=None"),
    ('bad override', 'metro_manila', {'anomaly_rate': 2.0}, "anomaly_rate=2.0"),
    ('bad override', 'sgcc_like', {'num_meters': 0}, "num_meters=0"),
]
NAME_CASES = [  # (category, registration function, name, needle)
    ('formula in a name', 'register_pattern', '=cmd|calc', "register_pattern='=cmd|calc'"),
    ('formula in a name', 'register_pattern', '@SUM(A1)', "register_pattern='@SUM(A1)'"),
    ('formula in a name', 'register_lookalike', '+solar', "register_lookalike='+solar'"),
    ('formula in a name', 'register_lookalike', '-vacant', "register_lookalike='-vacant'"),
    ('control characters in a name', 'register_pattern', 'a,b', "register_pattern='a,b'"),
    ('empty name', 'register_lookalike', '', "register_lookalike=''"),
    ('name read as missing', 'register_pattern', 'None', "register_pattern='None'"),
]

# `--config FILE` where FILE is not something a configuration may come from: (category, what FILE is, needle).
# `make_config_file` makes each; a FIFO, /dev/zero, /dev/urandom and a 1 GiB file used to hang or exhaust memory.
HOSTILE_CONFIG_FILES = [
    ('deep nesting', 'a list nested 2,000 levels', "is nested too deeply to be a configuration"),
    ('deep nesting', 'an object nested 2,000 levels', "is nested too deeply to be a configuration"),
    ('not a regular file', '/dev/zero', "config='/dev/zero': is a character device; only a regular file is read"),
    ('not a regular file', '/dev/urandom', "config='/dev/urandom': is a character device; only a regular file is read"),
    ('not a regular file', 'a FIFO nobody writes to', "is a FIFO (named pipe); only a regular file is read"),
    ('not a regular file', 'a folder', "is a folder; only a regular file is read"),
    ('too large', 'a 1 GiB file', "is 1,073,741,824 bytes; a configuration file may be at most 1,048,576 bytes"),
    ('unreadable', 'a missing file', "cannot read (No such file or directory)"),
    ('unreadable', 'binary bytes', "is not UTF-8 text"),
    ('manifest of another format', "a manifest with format 'datapackage'", "format 'datapackage' is not 'ghostload_nb dataset manifest'"),
    ('manifest from a newer version', 'a manifest with manifest_version 2', "manifest_version 2 is newer than this reader's 1"),
    ('manifest from a newer version', 'a manifest written by ghostload_nb 9.0.0', "written by ghostload_nb 9.0.0, a newer major version than this ghostload_nb"),
    ('bound: consumption beyond physics', 'industrial mean 1e11 kWh', "consumption_baselines['industrial'] mean=100000000000.0: must be <= 1,860,000 kWh a month"),
    ('bound: consumption beyond physics', 'residential mean 1e15 kWh', "consumption_baselines['residential'] mean=1000000000000000.0: must be <= 1,860,000"),
    ('bound: coefficient of variation', 'residential sd 20 x its mean', "consumption_baselines['residential'] sd=3000.0: must be <= 10 x the mean 150"),
]

_MANIFEST = {'format': 'ghostload_nb dataset manifest', 'manifest_version': 1,
             'generator': {'package': 'ghostload_nb', 'version': '0.2.0'}, 'config': {'num_meters': 50}, 'files': {}}
CONFIG_FILE_JSON = {  # the entries of HOSTILE_CONFIG_FILES that are JSON text
    "a manifest with format 'datapackage'": {**_MANIFEST, 'format': 'datapackage'},
    'a manifest with manifest_version 2': {**_MANIFEST, 'manifest_version': 2},
    'a manifest written by ghostload_nb 9.0.0': {**_MANIFEST, 'generator': {'package': 'ghostload_nb', 'version': '9.0.0'}},
    'industrial mean 1e11 kWh': {'consumption_baselines': {**BASE, 'industrial': (1e11, 800.0)}},
    'residential mean 1e15 kWh': {'consumption_baselines': {**BASE, 'residential': (1e15, 450.0)}},
    'residential sd 20 x its mean': {'consumption_baselines': {**BASE, 'residential': (150.0, 3000.0)}},
}

def make_config_file(what:str, folder):
    "Create the `HOSTILE_CONFIG_FILES` entry `what` in `folder` (or name the device); return its path."
    import json, os
    from pathlib import Path
    p = Path(folder) / 'cfg.json'
    makers = {'a list nested 2,000 levels': lambda: p.write_text('[' * 2000 + ']' * 2000),
              'an object nested 2,000 levels': lambda: p.write_text('{"a":' * 2000 + '1' + '}' * 2000),
              'a FIFO nobody writes to': lambda: os.mkfifo(p), 'a folder': p.mkdir, 'a missing file': lambda: None,
              'a 1 GiB file': lambda: (p.touch(), os.truncate(p, 1 << 30)),          # sparse: 1 GiB long, no disk used
              'binary bytes': lambda: p.write_bytes(b'\xff\xfe{\x00"\x00'),
              **{k: (lambda v=v: p.write_text(json.dumps(v))) for k, v in CONFIG_FILE_JSON.items()}}
    if what.startswith('/dev/'): return Path(what)
    makers[what]()
    return p

# A dataset folder damaged after it was written, given to `ghostload evaluate` and `ghostload map`: (category, damage,
# needle). The answer is the validator's: exit 2, one line counting the failed checks and quoting the first.
BROKEN_DATASETS = [
    ('missing file', 'anomaly_labels.csv deleted', "anomaly_labels.csv"),
    ('missing column', 'meter_consumption.csv without customer_class', "customer_class"),
    ('missing column', 'transformers.csv without lat (no manifest)', "lat"),
    ('blank column', 'a blank consumption month', "monthly_consumption_202403"),
    ('blank column', 'a blank transformer_id in meter_consumption.csv (no manifest)', "transformer"),
    ('text in a numeric column', "'lots' in a consumption month (no manifest)", "monthly_consumption_202403"),
    ('text in a numeric column', "'x' as a transformer's lat", "lat"),
    ('not a dataset', 'an empty folder', "transformers"),
]

DAMAGE = {  # BROKEN_DATASETS entry -> (file, change to its table of text)
    'meter_consumption.csv without customer_class': ('meter_consumption.csv', lambda t: t.drop(columns=['customer_class'])),
    'transformers.csv without lat (no manifest)': ('transformers.csv', lambda t: t.drop(columns=['lat'])),
    'a blank consumption month': ('meter_consumption.csv', lambda t: t.assign(monthly_consumption_202403='')),
    'a blank transformer_id in meter_consumption.csv (no manifest)': ('meter_consumption.csv', lambda t: t.assign(transformer_id='')),
    "'lots' in a consumption month (no manifest)": ('meter_consumption.csv', lambda t: t.assign(monthly_consumption_202403='lots')),
    "'x' as a transformer's lat": ('transformers.csv', lambda t: t.assign(lat='x')),
}

def break_dataset(damage:str, folder):
    "Apply the `BROKEN_DATASETS` entry `damage` to the dataset in `folder`."
    import pandas as pd
    from pathlib import Path
    d = Path(folder)
    if 'no manifest' in damage: (d / 'manifest.json').unlink()
    if damage == 'anomaly_labels.csv deleted': (d / 'anomaly_labels.csv').unlink()
    elif damage == 'an empty folder':
        for p in d.iterdir(): p.unlink()
    else:
        name, change = DAMAGE[damage]
        change(pd.read_csv(d / name, dtype=str, keep_default_na=False)).to_csv(d / name, index=False)
