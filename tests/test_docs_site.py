"Build the docs site offline (tools/build_docs.py) and check it in Debian chromium, served on 127.0.0.1."
import functools, http.server, json, re, subprocess, sys, threading
import nbformat
import pytest
from browser import OfflinePage, ROOT

sys.path.insert(0, str(ROOT / 'tools'))
from build_docs import page_name, SITE  # noqa: E402

NOTEBOOKS = sorted(p for p in (ROOT / 'nbs').glob('*.ipynb'))
PAGES = ['index.html' if p.name == 'index.ipynb' else f'{page_name(p)}.html' for p in NOTEBOOKS]
# folium's default links for icon markers and Bootstrap, which the maps in the docs do not use; some have no npm copy
FOLIUM_UNUSED = re.compile(r'bootstrap|fontawesome|awesome-markers|awesome\.rotate|glyphicons', re.I)
OFFSITE_OK = re.compile(r'https://(tile\.openstreetmap\.org|api\.github\.com)/')  # map tiles; the theme's repo badge

@pytest.fixture(scope='module')
def site():
    r = subprocess.run([sys.executable, str(ROOT / 'tools' / 'build_docs.py')], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-4000:]
    assert 'build_docs:' in r.stdout
    return SITE

@pytest.fixture(scope='module')
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_port}/'
    srv.shutdown(); srv.server_close()

def open_page(browser, url):
    p = OfflinePage(browser, viewport=(1280, 900))
    resp = p.page.goto(url)
    assert resp is not None and resp.ok, url
    return p

def check_requests(p):
    assert p.errors == [], p.errors
    bad = [u for u in p.unmapped if not OFFSITE_OK.match(u) and not FOLIUM_UNUSED.search(u)]
    assert bad == [], f"requests with no local copy: {bad}"

def test_site_has_a_page_per_notebook(site):
    assert sorted(p.name for p in site.glob('*.html') if p.name != '404.html') == sorted(PAGES)
    index = json.loads((site / 'search' / 'search_index.json').read_text())
    assert {d['location'].split('#')[0] for d in index['docs']} >= set(PAGES) - {'index.html'}

@pytest.mark.parametrize('page', PAGES)
def test_page_loads_with_full_navigation_and_plots(browser, server, page):
    p = open_page(browser, server + page)
    try:
        links = p.page.eval_on_selector_all('nav.md-nav--primary a.md-nav__link', 'els => els.map(e => e.getAttribute("href"))')
        assert set(PAGES) <= set(links), set(PAGES) - set(links)
        title = p.page.locator('article h1').first.inner_text()
        assert title.strip()
        nb = nbformat.read(ROOT / '_proc' / NOTEBOOKS[PAGES.index(page)].name, as_version=4)
        pngs = sum('image/png' in o.get('data', {}) for c in nb.cells if c.cell_type == 'code' for o in c.get('outputs', []))
        imgs = p.page.locator('.jp-OutputArea img')
        assert imgs.count() == pngs
        for i in range(imgs.count()):
            imgs.nth(i).scroll_into_view_if_needed()
            assert imgs.nth(i).evaluate('img => img.complete && img.naturalWidth > 0'), f"plot {i} on {page} did not render"
        if page == 'grid.html': assert pngs > 0
        pictures = p.page.locator('article img')
        for i in range(pictures.count()):
            pictures.nth(i).scroll_into_view_if_needed()
            assert pictures.nth(i).evaluate('img => img.complete && img.naturalWidth > 0'), f"image {i} on {page} is broken"
        if page == 'index.html': assert p.page.locator('article img[src^="images/"]').count() == 2  # plot + map screenshot
        check_requests(p)
    finally: p.close()

@pytest.mark.parametrize('page,transformers,meters', [('maps.html', 30, 1500), ('grid.html', 50, 2000)])  # the notebooks' examples
def test_map_iframe_renders_its_markers(browser, server, page, transformers, meters):
    p = open_page(browser, server + page)
    try:
        frame = p.page.frame_locator('.jp-OutputArea iframe').first
        p.page.locator('.jp-OutputArea iframe').first.scroll_into_view_if_needed()
        frame.locator('path.gl-transformer').first.wait_for(state='attached')
        assert frame.locator('path.gl-transformer').count() == transformers
        assert f'{transformers} transformers, {meters:,} meters' in frame.locator('.gl-legend').inner_text()
        if page == 'maps.html': assert frame.locator('.marker-cluster').count() > 0
        p.page.wait_for_timeout(300)
        p.screenshot(f'docs_{page[:-5]}_map.png')
        check_requests(p)
    finally: p.close()

def test_search_finds_a_function(browser, server):
    p = open_page(browser, server + 'index.html')
    try:
        p.page.locator('.md-search__input').fill('make_map')
        results = p.page.locator('.md-search-result__link')
        results.first.wait_for()
        hrefs = results.evaluate_all('els => els.map(e => e.getAttribute("href"))')
        assert any(h.split('?')[0].endswith('maps.html') for h in hrefs), hrefs
        p.screenshot('docs_search.png')
        p.page.goto(server + 'index.html')
        p.screenshot('docs_index.png')
        check_requests(p)
    finally: p.close()
