"""Build the docs site offline (tools/build_docs.py) and check it: statically (every internal link and anchor resolves,
nothing loaded from a CDN) and in Debian chromium, served on 127.0.0.1 with every request off the machine aborted
(no raw Quarto attribute text, no execution prompts, grouped navigation, plots, maps drawn offline, search).
Screenshots go to artifacts/screenshots/ (gitignored)."""
import functools, html.parser, http.server, json, re, subprocess, sys, threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit
import nbformat
import pytest
from browser import OfflinePage, ROOT

sys.path.insert(0, str(ROOT / 'tools'))
from build_docs import SECTIONS, page_name, section, SITE  # noqa: E402

NOTEBOOKS = sorted(p for p in (ROOT / 'nbs').glob('*.ipynb'))
PAGES = ['index.html' if p.name == 'index.ipynb' else f'{page_name(p)}.html' for p in NOTEBOOKS]
OFFSITE_OK = re.compile(r'https://(tile\.openstreetmap\.org|api\.github\.com)/')  # map tiles; the theme's repo badge
PROMPT = re.compile(r'^\s*(In|Out)\s*\[\s*\d*\s*\]:\s*$', re.M)
QUARTO_ATTR = re.compile(r'\{(target=|style=|\.[\w-]+\}|#[\w-]+\})')

@pytest.fixture(scope='module')
def site():
    r = subprocess.run([sys.executable, str(ROOT / 'tools' / 'build_docs.py')], capture_output=True, text=True, timeout=1500, cwd=ROOT)
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

def open_page(browser, url, cdn=False):
    p = OfflinePage(browser, viewport=(1280, 900), cdn=cdn)
    resp = p.page.goto(url)
    assert resp is not None and resp.ok, url
    return p

def check_requests(p):
    "No page error, and nothing requested off the machine but map tiles (the site carries its own scripts)."
    assert p.errors == [], p.errors
    bad = [u for u in p.unmapped if not OFFSITE_OK.match(u)]
    assert bad == [], f"requests that left the machine: {bad}"

class _Links(html.parser.HTMLParser):
    "The ids and the link targets of one HTML page."
    def __init__(self):
        super().__init__(); self.ids, self.hrefs = set(), []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ('id', 'name'):
            if a.get(k): self.ids.add(a[k])
        for k in ('href', 'src'):
            if a.get(k) and not (tag == 'link' and k == 'href' and a.get('rel') in ('canonical',)): self.hrefs.append(a[k])

def parse(page:Path)->_Links:
    p = _Links(); p.feed(page.read_text(encoding='utf-8')); return p

def test_site_has_a_page_per_notebook(site):
    assert sorted(p.name for p in site.glob('*.html') if p.name != '404.html') == sorted(PAGES)
    index = json.loads((site / 'search' / 'search_index.json').read_text())
    assert {d['location'].split('#')[0] for d in index['docs']} >= set(PAGES) - {'index.html'}

def test_no_broken_internal_links_or_anchors(site):
    "A link checker: every relative link or resource of every page exists, and its #fragment is an id on the target."
    parsed = {p.name: parse(p) for p in site.glob('*.html')}
    broken = []
    for name, links in parsed.items():
        if name == '404.html': continue  # served for any missing path, so its links are absolute (/index.html)
        for href in links.hrefs:
            if re.match(r'^[a-z][a-z0-9+.-]*:', href, re.I) or href.startswith('//'): continue  # http:, mailto:, data:, javascript:
            path, frag = urldefrag(href)
            target = (site / name).parent / unquote(urlsplit(path).path) if path else site / name
            target = target.resolve()
            if target.is_dir(): target = target / 'index.html'
            if not target.exists(): broken.append((name, href, 'no such file')); continue
            if frag and target.suffix == '.html':
                ids = parsed[target.name].ids if target.parent == site.resolve() else parse(target).ids
                if unquote(frag) not in ids: broken.append((name, href, 'no such anchor'))
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:15]}"

def test_doc_links_to_methods_resolve(site):
    "nbdev links methods as page.html#class.method (Quarto's anchors): the site has those anchors."
    links = [h for p in site.glob('*.html') for h in parse(p).hrefs if re.search(r'\.html#\w+\.\w+$', h)]
    assert len(links) >= 8, links  # the method links the issue found broken, among others
    targets = {h.split('#')[0]: parse(site / h.split('#')[0]).ids for h in links if (site / h.split('#')[0]).exists()}
    assert [h for h in links if h.split('#')[1] not in targets.get(h.split('#')[0], set())] == []

def test_pages_load_nothing_from_a_cdn(site):
    cdn = re.compile(r'(src|href)=(?:"|&quot;)https?://(cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|code\.jquery\.com|unpkg\.com)')
    assert [p.name for p in site.glob('*.html') if cdn.search(p.read_text(encoding='utf-8'))] == []
    assert (site / 'vendor' / 'cdn.jsdelivr.net' / 'npm' / 'leaflet@1.9.3' / 'dist' / 'leaflet.js').is_file()

def test_navigation_is_grouped(site):
    "Sections in Diataxis order; every page in exactly one; known pages where a reader looks for them."
    cfg = (ROOT / '_mkdocs' / 'mkdocs.yml').read_text()
    import yaml
    nav = yaml.safe_load(cfg)['nav']
    assert [list(g)[0] for g in nav] == [s for s in SECTIONS if any(list(g)[0] == s for g in nav)]
    assert [list(g)[0] for g in nav] == list(SECTIONS)
    pages = [list(e.values())[0] for g in nav for e in list(g.values())[0]]
    assert sorted(p.replace('.ipynb', '.html') for p in pages) == sorted(PAGES)
    assert section('index') == 'Tutorials' and section('scale') == 'Measured results'
    assert section('config') == 'Reference' and section('cli') == 'How-to guides' and section('references') == 'Reference'

@pytest.mark.parametrize('page', PAGES)
def test_page_renders_cleanly(browser, server, page):
    p = open_page(browser, server + page)
    try:
        sections = p.page.eval_on_selector_all('nav.md-nav--primary > ul > li.md-nav__item--section > label, '
                                               'nav.md-nav--primary > ul > li.md-nav__item--nested > label',
                                               'els => els.map(e => e.innerText.trim())')
        assert [s for s in sections if s] == list(SECTIONS), sections
        links = p.page.eval_on_selector_all('nav.md-nav--primary a.md-nav__link', 'els => els.map(e => e.getAttribute("href"))')
        assert set(PAGES) <= set(links), set(PAGES) - set(links)
        title = p.page.locator('article h1').first.inner_text()
        assert title.strip()
        text = p.page.locator('article').inner_text()
        assert not QUARTO_ATTR.search(text), QUARTO_ATTR.search(text).group(0)
        assert not PROMPT.search(text), PROMPT.search(text).group(0)
        assert p.page.locator('.jp-InputPrompt, .jp-OutputPrompt').count() == 0
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
        p.page.evaluate('window.scrollTo(0, 0)')
        p.screenshot(f'docs_page_{page[:-5]}.png')
        check_requests(p)
    finally: p.close()

@pytest.mark.parametrize('page,transformers,meters', [('maps.html', 30, 1500), ('grid.html', 50, 2000)])  # the notebooks' examples
def test_map_draws_offline(browser, server, page, transformers, meters):
    "With every request off the machine aborted (no CDN copy served by the test), the map draws from the site's own files."
    p = open_page(browser, server + page, cdn=False)
    try:
        frame = p.page.frame_locator('.jp-OutputArea iframe').first
        p.page.locator('.jp-OutputArea iframe').first.scroll_into_view_if_needed()
        frame.locator('path.gl-transformer').first.wait_for(state='attached')
        assert frame.locator('path.gl-transformer').count() == transformers
        assert f'{transformers} transformers, {meters:,} meters' in frame.locator('.gl-legend').inner_text()
        if page == 'maps.html': assert frame.locator('.marker-cluster').count() > 0
        p.page.wait_for_timeout(300)
        p.screenshot(f'docs_{page[:-5]}_map.png')
        assert p.served == []
        check_requests(p)
    finally: p.close()

def test_formulas_render_offline(browser, server):
    "MathJax comes with the site: the TeX of the theft-pattern page is typeset with every off-machine request aborted."
    p = open_page(browser, server + 'patterns.html')
    try:
        p.page.wait_for_selector('.MathJax_CHTML', state='attached', timeout=30000)
        assert p.page.locator('.MathJax_CHTML').count() >= 10
        assert not re.search(r'\$[^$\n]{1,60}\$', p.page.locator('article').inner_text())  # no TeX left as text
        p.page.locator('.MathJax_CHTML').nth(3).scroll_into_view_if_needed()
        p.screenshot('docs_formulas.png')
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
        check_requests(p)
    finally: p.close()
