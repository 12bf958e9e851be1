__version__ = "0.3.0"
# Hand-written (nbdev only rewrites the version line): the seed's public API, importable from the package root.
from .config import GeneratorConfig
from .grid import TransformerGenerator
from .meters import MeterGenerator
from .geojson import GeoJSONGenerator
from .pipeline import SyntheticDataPipeline, DatasetValidationError
from .validation import validate
from . import content_checks  # registers the table checks with validation.CHECKS (validate runs them)
from . import interval_run  # registers the 'interval' check (interval datasets); its heavy modules load only when used
from .dataset import Dataset, load_dataset
from .schema import DatasetError
