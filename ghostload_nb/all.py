"Everything public in ghostload_nb: `from ghostload_nb.all import *`."
from .config import *
from .grid import *
from .consumption import *
from .anomalies import *
from .meters import *
from .geojson import *
from .pipeline import *
from .maps import *
from .validation import *
from .cli import *
from .evaluate import *
