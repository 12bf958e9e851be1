"""Shared set-up for the browser tests: Debian chromium driven by the playwright Python package (never `playwright
install`), with CDN requests served from local npm copies (tools/browser_assets.py) and everything else off-machine
(map tiles) aborted. Missing chromium skips the tests with the reason, except in CI (CI=true), where it fails them."""
import os, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
from browser_assets import local_path, missing_packages  # noqa: E402

CHROMIUM = Path(os.environ.get('GHOSTLOAD_CHROMIUM', '/usr/bin/chromium'))
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run']
SCREENSHOTS = ROOT / 'artifacts' / 'screenshots'

def in_ci()->bool: return os.environ.get('CI', '').lower() in ('true', '1')

def require(ok:bool, reason:str):
    "Skip with `reason` when `ok` is false, or fail in CI (where the browser tests must run)."
    if ok: return
    if in_ci(): pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
    pytest.skip(reason)

@pytest.fixture(scope='session')
def browser():
    require(CHROMIUM.exists(), f"{CHROMIUM} not found; install Debian chromium (bash tools/setup_browser.sh does it as root)")
    require(not missing_packages(), f"npm assets {missing_packages()} missing; run python tools/browser_assets.py install")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()

class OfflinePage:
    """A new page whose CDN requests get local copies; records unmapped CDN requests, page errors and dialogs.
    With `cdn=False` no local copy is served either: every request off the machine is aborted and recorded in
    `unmapped` (map tiles in `aborted`), as on a machine with no network."""
    def __init__(self, browser, local_hosts=('127.0.0.1',), viewport=(1200, 800), cdn:bool=True):
        self.cdn = cdn
        self.context = browser.new_context(viewport={'width': viewport[0], 'height': viewport[1]})
        self.page = self.context.new_page()
        self.served, self.unmapped, self.aborted, self.errors, self.dialogs = [], [], [], [], []
        self.local_hosts = local_hosts
        self.context.route('**/*', self._route)
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))
        self.page.on('dialog', lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _route(self, route):
        url = route.request.url
        host = url.split('/')[2] if '://' in url else ''
        if url.startswith(('file:', 'data:', 'about:')) or host.split(':')[0] in self.local_hosts: return route.continue_()
        f = local_path(url) if self.cdn else None
        if f is not None:
            self.served.append(url)
            return route.fulfill(path=str(f))
        if 'tile.openstreetmap.org' in host: self.aborted.append(url)
        else: self.unmapped.append(url)
        route.abort()

    def screenshot(self, name:str)->Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path))
        return path

    def close(self): self.context.close()
