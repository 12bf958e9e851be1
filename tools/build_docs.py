"""Build the documentation site offline (no Quarto, no network): `python tools/build_docs.py` -> `_site/`.

1. nbdev's own notebook processing (`nbdev.serve.proc_nbs`, what `nbdev_docs` runs before Quarto) writes `_proc/`:
   hidden cells dropped, `show_doc` API tables rendered, front matter from each notebook's title cell. It reads a
   copy of nbs/ in which a cell that starts with imports and goes on with other code is split in two (nbdev runs the
   import cells out of context; `split_imports`).
2. Each processed notebook's Quarto front matter (a raw `---` cell) becomes a `# Title` / `> summary` cell again,
   `#|` directive lines are removed, and the numeric prefix is dropped from the file name (`01_grid` -> `grid.html`,
   the URLs Quarto uses, so links between pages work on both sites).
   nbdev's Quarto-only markup is made plain HTML: `[source](url){target="_blank" ...}` becomes an `<a>` element, and
   every heading gets the lower-case anchor Quarto gives it (`#generatorconfig.from_preset`), the anchors nbdev's
   doc links point to.
3. mkdocs + mkdocs-material (`font: false`: no Google Fonts) + mkdocs-jupyter build a static site into `_site/`
   (`use_directory_urls: false`: `grid.html`), with full-text search and the navigation grouped into tutorials,
   how-to guides, reference and measured results (`section()`).
4. The built pages are made self-contained: the execution prompts (`In [ ]:`, `Out[0]:`) are removed, and the
   scripts and styles that folium maps load from CDNs (Leaflet, its plugins, jQuery) are copied from npm
   (`tools/browser_assets.py`, `node_modules/`) into `_site/vendor/` and linked there, so maps draw offline; MathJax
   (npm) renders the formulas from `_site/vendor/mathjax/`.

Users with Quarto can run `nbdev_docs` instead (config in nbs/_quarto.yml; `.github/workflows/deploy.yaml`)."""
import argparse, configparser, html, os, re, shutil, subprocess, sys, time
from pathlib import Path
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_assets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NBS, PROC, WORK, SITE = ROOT / 'nbs', ROOT / '_proc', ROOT / '_mkdocs', ROOT / '_site'
DIRECTIVE = re.compile(r'^\s*#\|')
# nbdev's Quarto link attributes: [text](url){target="_blank" style="..."}
QUARTO_LINK = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)\{([^}]*)\}')
HEADING = re.compile(r'^(#{1,6})\s+(.+?)\s*#*\s*$', re.M)
PROMPT = re.compile(r'<div class="jp-(?:Input|Output)Prompt[^"]*">[^<]*</div>')
# a script or style a page loads from a CDN (also inside a map's `srcdoc`, where quotes are `&quot;`); not URLs in code
CDN_URL = re.compile(r'(?:(?<=src=")|(?<=href=")|(?<=src=&quot;)|(?<=href=&quot;))'
                     r'https?://(?:cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|code\.jquery\.com)/[^"\'\s&<>)]+')
# Navigation sections (Diataxis): pages named here, or matching the patterns; every other page is reference.
SECTIONS = ('Tutorials', 'How-to guides', 'Reference', 'Measured results')
TUTORIALS, HOW_TO = {'index'}, {'cli', 'validation', 'bad_input', 'maps', 'dask', 'card', 'evaluate', 'dataset'}
RESULTS = re.compile(r'scale|bench|study|measured|calibrat|difficulty|realism', re.I)

def section(name:str, title:str='')->str:
    "The navigation section of a page: 'Tutorials', 'How-to guides', 'Reference' or 'Measured results'."
    if name in TUTORIALS or re.search(r'tutorial|quickstart|getting.started', name + ' ' + title, re.I): return 'Tutorials'
    if RESULTS.search(name) or RESULTS.search(title): return 'Measured results'
    return 'How-to guides' if name in HOW_TO else 'Reference'

def quarto_id(text:str)->str:
    "The anchor Quarto (pandoc) gives a heading: lower case, markup and punctuation other than `_.-` dropped, spaces to `-`."
    text = re.sub(r'<[^>]+>|`|\*', '', text).strip().lower()
    text = re.sub(r'[^\w\s.-]', '', text)
    return re.sub(r'\s+', '-', text)

def plain_markdown(md:str)->str:
    "Markdown without Quarto-only syntax: link attributes become an HTML link; each heading gets Quarto's anchor."
    def link(m):
        attrs = ' '.join(f'{k}="{html.escape(v)}"' for k, v in re.findall(r'([\w-]+)="([^"]*)"', m.group(3)))
        rel = ' rel="noopener"' if 'target=' in attrs else ''
        return f'<a href="{html.escape(m.group(2))}" {attrs}{rel}>{m.group(1)}</a>'
    md = QUARTO_LINK.sub(link, md)
    parts = re.split(r'(^```.*?^```)', md, flags=re.M | re.S)  # leave code blocks alone
    def anchor(m):  # only where the renderer's own id (markdown's slugify: '.' dropped) differs from Quarto's
        qid = quarto_id(m.group(2))
        own = re.sub(r'[-\s]+', '-', re.sub(r'[^\w\s-]', '', re.sub(r'<[^>]+>|`|\*', '', m.group(2))).strip().lower())
        return m.group(0) if qid == own else f'<a id="{qid}"></a>\n\n{m.group(0)}'
    return ''.join(p if i % 2 else HEADING.sub(anchor, p) for i, p in enumerate(parts))

def page_name(nb:Path)->str:
    "Quarto's page name: the notebook name without its numeric prefix (`01_grid.ipynb` -> `grid`)."
    return re.sub(r'^\d+[a-z]?_', '', nb.stem)

def front_matter(cell)->dict:
    "The YAML front matter of a raw `---` cell, or {}."
    m = re.fullmatch(r'\s*---\n(.*?)\n---\s*', cell.source, re.S) if cell.cell_type == 'raw' else None
    return (yaml.safe_load(m.group(1)) or {}) if m else {}

def convert(src:Path, dest:Path, site_url:str)->str:
    "Rewrite a processed notebook for mkdocs-jupyter (links into `site_url` made relative); returns its title."
    import nbformat
    nb = nbformat.read(src, as_version=4)
    fm = front_matter(nb.cells[0]) if nb.cells else {}
    title = str(fm.get('title') or page_name(src).replace('_', ' ').title())
    cells = nb.cells[1:] if fm else nb.cells
    head = f"# {title}" + (f"\n\n> {fm['description']}" if fm.get('description') else '')
    out = [nbformat.v4.new_markdown_cell(head)]
    for c in cells:
        if c.cell_type == 'markdown' and c.source.startswith('<!-- WARNING: THIS FILE WAS AUTOGENERATED'): continue
        if c.cell_type == 'markdown': c.source = plain_markdown(c.source)
        if c.cell_type == 'code':
            for o in c.get('outputs', []):
                if 'text/markdown' in o.get('data', {}): o['data']['text/markdown'] = plain_markdown(''.join(o['data']['text/markdown']))
            if re.search(r'^\s*#\|\s*echo:\s*false', c.source, re.M | re.I):  # show_doc cells: output only
                c.metadata.setdefault('tags', []).append('remove_input')
            c.source = '\n'.join(l for l in c.source.splitlines() if not DIRECTIVE.match(l)).strip('\n')
            if not c.source and not c.get('outputs'): continue
        out.append(c)
    out[0].source = plain_markdown(out[0].source)
    nb.cells = out
    dest.write_text(nbformat.writes(nb).replace(site_url, ''), encoding='utf-8')
    return title

def settings()->dict:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / 'settings.ini')
    return dict(cfg['DEFAULT'])

def mkdocs_config(nav:list, s:dict)->dict:
    return {
        'site_name': s['title'], 'site_description': s['description'], 'repo_url': s['git_url'],
        'docs_dir': 'docs', 'site_dir': str(SITE), 'use_directory_urls': False,
        'theme': {'name': 'material', 'font': False,
                  'features': ['navigation.sections', 'search.highlight', 'content.code.copy']},
        'plugins': ['search', {'mkdocs-jupyter': {'include_source': True, 'execute': False, 'ignore_h1_titles': True,
                                                  'include_requirejs': False, 'custom_mathjax_url': MATHJAX_URL,
                                                  'remove_tag_config': {'remove_input_tags': ['remove_input']}}}],
        'nav': nav}

def vendor(url:str, site:Path)->str|None:
    "Copy the npm (or folium) file for CDN `url` into `site/vendor/`; its path relative to the site, or None."
    src = browser_assets.local_path(url)
    if src is None: return None
    rel = 'vendor/' + re.sub(r'[^\w.@/-]', '_', url.split('://', 1)[1].split('?', 1)[0])
    (site / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, site / rel)
    return rel

def _strip(h:str)->str: return re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>|¶', '', h))).strip()

def _navs(text:str, cls:str='md-nav--secondary'):
    "(start, end) of every `<nav>` element with class `cls`, nested navs included in their parent."
    for m in re.finditer(rf'<nav class="[^"]*{cls}[^"]*"', text):
        depth, i = 0, m.start()
        for t in re.finditer(r'<nav\b|</nav>', text[m.start():]):
            depth += 1 if t.group(0) == '<nav' else -1
            if depth == 0: yield m.start(), m.start() + t.end(); break

def fix_toc(text:str)->str:
    """The page's table of contents linked to its headings. mkdocs-jupyter builds it from the notebook's Markdown, where
    a heading with `code` loses that text (an empty entry linked to `#_1`); the rendered headings have other ids.
    Entries are matched in order to the headings of the Markdown cells; a wrong entry gets the heading's id and text."""
    cells = re.split(r'<div class="jp-Cell ', text[text.find('<article'):])
    heads = [(m.group(2), _strip(m.group(3))) for c in cells if c.startswith('jp-MarkdownCell')
             for m in re.finditer(r'<h([2-6]) id="([^"]*)"[^>]*>(.*?)</h\1>', c, re.S)]
    ids = set(re.findall(r'\sid="([^"]*)"', text))
    out, last = [], 0
    for a, b in list(_navs(text)):
        nav = text[a:b]
        entries = list(re.finditer(r'(<a href="#)([^"]*)("[^>]*class="md-nav__link"[^>]*>\s*<span class="md-ellipsis">)(.*?)(</span>)', nav, re.S))
        if entries and len(entries) == len(heads):
            def fix(m, it=iter(heads)):
                hid, name = next(it)
                return m.group(0) if m.group(2) in ids else f"{m.group(1)}{hid}{m.group(3)}{html.escape(name)}{m.group(5)}"
            nav = re.sub(entries[0].re.pattern, fix, nav, flags=re.S)
        out += [text[last:a], nav]; last = b
    text = ''.join(out) + text[last:]
    first = re.search(r'<h[1-6] id="([^"]*)"', text[text.find('<article'):])
    skip = re.search(r'<a href="#([^"]*)" class="md-skip">', text)
    if first and skip and skip.group(1) not in ids:  # "Skip to content" goes to the first heading
        text = text.replace(skip.group(0), f'<a href="#{first.group(1)}" class="md-skip">')
    return text

def fix_doc_links(site:Path, symbols:set)->int:
    """nbdev links every symbol in backticks, private ones too, to `page.html#symbol`; a symbol with no entry of its own
    (`_helper`, `__post_init__`) has no such anchor: link its page instead. Other broken anchors are left for the tests."""
    ids = {p.name: set(re.findall(r'\sid="([^"]*)"', p.read_text(encoding='utf-8'))) for p in site.glob('*.html')}
    n = 0
    for page in site.glob('*.html'):
        text = page.read_text(encoding='utf-8')
        def fix(m):
            nonlocal n
            target, frag = m.group(2) or page.name, m.group(3)
            if target in ids and frag not in ids[target] and frag in symbols:
                n += 1; return f'{m.group(1)}{target}"'
            return m.group(0)
        new = re.sub(r'(<a href=")([\w.-]+\.html)?#([\w.]+)"', fix, text)
        if new != text: page.write_text(new, encoding='utf-8')
    return n

def nbdev_symbols()->set:
    "Every symbol nbdev indexes (`_modidx.py`), as its Quarto anchor: 'generatorconfig.from_preset', '_install'."
    lib = settings()['lib_name']
    mod = __import__(f'{lib}._modidx', fromlist=['d'])
    return {k.split('.', 2)[2].lower() for syms in mod.d['syms'].values() for k in syms if k.count('.') >= 2}

def self_contained(site:Path)->dict:
    "Remove execution prompts, fix the TOC, point CDN scripts/styles at copies in `site/vendor/`; returns {url: local path}."
    done = {}
    for page in site.glob('*.html'):
        text = page.read_text(encoding='utf-8')
        new = fix_toc(PROMPT.sub('', text))
        for url in set(CDN_URL.findall(new)):
            if url not in done: done[url] = vendor(url, site)
            if done[url]: new = new.replace(url, done[url])
        if new != text: page.write_text(new, encoding='utf-8')
    return done

# MathJax 2 from npm, the parts the CommonHTML output of TeX needs (about 1.5 MB), copied into the site
MATHJAX_URL = 'vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe'
MATHJAX_PARTS = ('MathJax.js', 'config/TeX-AMS_CHTML-full.js', 'config/Safe.js', 'extensions', 'jax/input/TeX',
                 'jax/output/CommonHTML', 'jax/element', 'fonts/HTML-CSS/TeX/woff', 'localization/en')

def vendor_mathjax(site:Path):
    "Copy MathJax's needed parts from node_modules/mathjax into `site/vendor/mathjax/`."
    src = browser_assets.NODE_MODULES / 'mathjax'
    for part in MATHJAX_PARTS:
        if not (src / part).exists(): continue
        dest = site / 'vendor' / 'mathjax' / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (src / part).is_dir() else shutil.copyfile)(src / part, dest)

STAGE = ROOT / '_tmp_docs_nbs'  # the notebooks as the docs build reads them (gitignored by `_tmp*`)

def split_imports(cell)->list:
    """A code cell (not exported) that starts with imports and goes on with other code, as two cells: the imports, then
    the rest (with the outputs). nbdev runs every cell that imports something to render the API docs; a mixed cell,
    run without the cells before it, fails (nbdev warns "Found cells containing imports and other code"). A cell with
    imports further down (or inside a function) gets `#| eval: false`: the docs show its saved outputs, as they do
    for every cell that is neither an import, an export nor a `show_doc`."""
    import ast
    if cell['cell_type'] != 'code': return [cell]
    lines = ''.join(cell['source']).splitlines()
    directives = [l for l in lines if DIRECTIVE.match(l)]
    if any(re.match(r'^\s*#\|\s*export', l) for l in directives): return [cell]
    body = [l for l in lines if not DIRECTIVE.match(l)]
    try: stmts = ast.parse('\n'.join(body)).body
    except SyntaxError: return [cell]  # IPython magics or shell lines: leave to nbdev
    n = 0
    while n < len(stmts) and isinstance(stmts[n], (ast.Import, ast.ImportFrom)): n += 1
    if n == len(stmts): return [cell]
    if any(isinstance(x, (ast.Import, ast.ImportFrom)) for st in stmts[n:] for x in ast.walk(st)):
        # imports further down (or inside a function): nbdev would run the whole cell; the docs show its saved outputs
        if n == 0: return [{**cell, 'source': '\n'.join(directives + ['#| eval: false'] + body)}]
        rest_directives = directives + ['#| eval: false']
    else: rest_directives = directives
    if n == 0: return [cell]
    cut = stmts[n].lineno - 1
    while cut > 0 and body[cut - 1].lstrip().startswith('#'): cut -= 1  # a comment belongs to the code below it
    head = {**cell, 'source': '\n'.join(directives + body[:cut]).strip('\n'), 'outputs': [], 'execution_count': None}
    rest = {**cell, 'source': '\n'.join(rest_directives + body[cut:]).strip('\n')}
    head.pop('id', None)
    return [head, rest]

def docs_sources()->Path:
    "A copy of nbs/ for nbdev's processing, with mixed import cells split (`split_imports`)."
    import json
    if STAGE.exists(): shutil.rmtree(STAGE)
    shutil.copytree(NBS, STAGE, ignore=shutil.ignore_patterns('.*', '_proc', 'generated_data'))
    for nb in STAGE.glob('*.ipynb'):
        d = json.loads(nb.read_text(encoding='utf-8'))
        cells = [x for c in d['cells'] for x in split_imports(c)]
        if cells != d['cells']: d['cells'] = cells; nb.write_text(json.dumps(d, indent=1, ensure_ascii=False), encoding='utf-8')
    return STAGE

def build(proc:bool=True)->Path:
    t0 = time.time()
    if proc:
        from nbdev.serve import proc_nbs
        try: proc_nbs(str(docs_sources()), force=True)
        except Exception as e:
            sys.exit(f"build_docs: nbdev could not process the notebooks: {e}\n(the docs build runs every cell that imports "
                     "something; keep imports in their own cells: nbdev FAQ, 'Found cells containing imports and other code')")
    t1 = time.time()
    if WORK.exists(): shutil.rmtree(WORK)
    docs = WORK / 'docs'
    docs.mkdir(parents=True)
    src = STAGE if STAGE.is_dir() else NBS  # the notebooks nbdev processed (nbs/ may change meanwhile)
    nbs = sorted(src.glob('*.ipynb'), key=lambda p: (p.name != 'index.ipynb', p.name))
    missing = [p.name for p in nbs if not (PROC / p.name).is_file()]
    if missing: sys.exit(f"build_docs: nbdev did not process {missing}")
    s = settings()
    site_url = s['doc_host'].rstrip('/') + '/' + s['doc_baseurl'].strip('/') + '/'  # nbdev's doc links point there
    groups = {k: [] for k in SECTIONS}
    for nb in nbs:
        name = 'index' if nb.name == 'index.ipynb' else page_name(nb)
        title = convert(PROC / nb.name, docs / f'{name}.ipynb', site_url)
        groups[section(name, title)].append({('Getting started' if name == 'index' else title.replace('`', '')): f'{name}.ipynb'})
    nav = [{k: v} for k, v in groups.items() if v]
    if (NBS / 'images').is_dir(): shutil.copytree(NBS / 'images', docs / 'images')
    (WORK / 'mkdocs.yml').write_text(yaml.safe_dump(mkdocs_config(nav, s), sort_keys=False), encoding='utf-8')
    if browser_assets.missing_packages():
        if not shutil.which('npm'): sys.exit(f"build_docs: npm packages {browser_assets.missing_packages()} missing and no npm: "
                                             "run `bash tools/setup_browser.sh` (installs npm and them)")
        browser_assets.install()
    if SITE.exists(): shutil.rmtree(SITE)
    env = {**os.environ, 'NO_MKDOCS_2_WARNING': '1'}
    subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '--quiet', '-f', str(WORK / 'mkdocs.yml')], check=True, cwd=WORK, env=env)
    vendor_mathjax(SITE)
    vendored = self_contained(SITE)
    fix_doc_links(SITE, nbdev_symbols())
    missing = sorted(u for u, v in vendored.items() if v is None)
    if missing: sys.exit(f"build_docs: no local copy of {missing}: add its npm package to tools/browser_assets.py")
    t2 = time.time()
    pages = sum(len(g) for g in groups.values())
    print(f"build_docs: {pages} pages in {SITE}, {len(vendored)} CDN files bundled (nbdev processing {t1 - t0:.1f} s, mkdocs {t2 - t1:.1f} s)")
    return SITE

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--no-proc', action='store_true', help="reuse _proc/ from a previous run (skip nbdev processing)")
    build(proc=not ap.parse_args().no_proc)
