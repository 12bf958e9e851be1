import os, shutil, subprocess, sys
from pathlib import Path
import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles. `ci` (the default) is deterministic: derandomized, a fixed number of examples, no deadline and no
# example database, so a test run gives the same verdict on every machine. `explore` (HYPOTHESIS_PROFILE=explore)
# searches with fresh randomness and many more examples; pin anything it finds as an `@example`.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile('ci', derandomize=True, deadline=None, max_examples=25, database=None, print_blob=True,
                          suppress_health_check=_QUIET)
settings.register_profile('explore', derandomize=False, deadline=None, max_examples=500, print_blob=True,
                          suppress_health_check=_QUIET)
settings.load_profile(os.environ.get('HYPOTHESIS_PROFILE', 'ci'))

ROOT = Path(__file__).resolve().parent.parent

def ghostload_exe():
    "The installed console script next to this interpreter (falls back to PATH)."
    exe = Path(sys.executable).parent / 'ghostload'
    return str(exe) if exe.exists() else shutil.which('ghostload')

@pytest.fixture
def run_cli(tmp_path):
    "Run the real `ghostload` console script in a subprocess; returns CompletedProcess."
    def run(*args, cwd=None):
        return subprocess.run([ghostload_exe(), *map(str, args)], capture_output=True, text=True, cwd=cwd or tmp_path, timeout=600)
    return run

from browser import browser  # noqa: E402,F401  the session's chromium (one per test run), see tests/browser.py
