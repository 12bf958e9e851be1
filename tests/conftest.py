import os, shutil, subprocess, sys
from pathlib import Path
import pytest

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
