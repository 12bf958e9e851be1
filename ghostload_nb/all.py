"""Everything public in ghostload_nb: `from ghostload_nb.all import *`.

Modules in layer order (each imports only those above it). The interval modules reuse the theft and look-alike names
of the monthly ones (`h1`, `block_theft`, `vacancy`, ...) at another resolution, so they come as modules
(`interval_theft.h1`), not star-imported over the monthly names."""
from .units import *
from .seeding import *
from .schema import *
from .geography import *
from .presets import *
from .defects import *
from .realism import *
from .config import *
from .consumption import *
from .sizing import *
from .grid import *
from .anomalies import *
from .events import *
from .energy import *
from .meters import *
from .geojson import *
from .folder import *
from .checks import *
from .report import *
from .encode import *
from .manifest import *
from .block_output import *
from .writer import *
from .local_engine import *
from .stream import *
from .guards import *
from .pipeline import *
from .tables import *
from .dataset import *
from .validation import *
from .content_checks import *
from .card import *
from .view import *
from .features import *
from .detectors import *
from .evaluate import *
from .maps import *
from .limits import *
from .cli import *
from . import (interval_config, interval_load, interval_theft, interval_defects, interval_io, interval_validate,
               interval_eval, interval_monthly, interval_run, interval_cli)
