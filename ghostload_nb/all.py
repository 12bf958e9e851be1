"Everything public in ghostload_nb: `from ghostload_nb.all import *`."
from .config import *
from .grid import *
from .geography import *
from .consumption import *
from .anomalies import *
from .events import *
from .meters import *
from .energy import *
from .geojson import *
from .pipeline import *
from .maps import *
from .validation import *
from .cli import *
from .evaluate import *
from .guards import *
