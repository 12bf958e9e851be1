"""Local copies of the JavaScript/CSS that folium maps load from CDNs, for the browser tests (no network at test time)
and for the docs site, which carries them (and MathJax) itself.

`python tools/browser_assets.py install` installs the npm packages below into `node_modules/` (npm registry, no
package.json change); `local_path(url)` maps a CDN URL to the installed file, or None when there is no local copy."""
import json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / 'node_modules'
# The versions folium 0.20 links (folium/folium.py, folium/plugins/marker_cluster.py).
NPM_PACKAGES = {'leaflet': '1.9.3', 'jquery': '3.7.1', 'leaflet.markercluster': '1.1.0',
                'mathjax': '2.7.9'}  # MathJax 2: the formulas of the docs site (tools/build_docs.py)

def _npm_file(pkg:str, version:str, path:str):
    "`node_modules/pkg/path` if `pkg` is installed at `version` and the file exists."
    meta = NODE_MODULES / pkg / 'package.json'
    if not meta.is_file() or json.loads(meta.read_text())['version'] != version: return None
    f = NODE_MODULES / pkg / path
    return f if f.is_file() else None

def _folium_file(name:str):
    import folium
    f = Path(folium.__file__).parent / 'templates' / name
    return f if f.is_file() else None

RULES = [  # (URL pattern, function of the match groups -> local file or None)
    (r'https://cdn\.jsdelivr\.net/npm/((?:@[^/@]+/)?[^/@]+)@([^/]+)/(.+)', lambda p, v, f: _npm_file(p, v, f)),
    (r'https://cdnjs\.cloudflare\.com/ajax/libs/leaflet\.markercluster/([^/]+)/(.+)',
     lambda v, f: _npm_file('leaflet.markercluster', v, f'dist/{f}')),
    (r'https://code\.jquery\.com/jquery-([\d.]+)\.min\.js', lambda v: _npm_file('jquery', v, 'dist/jquery.min.js')),
    (r'https://cdn\.jsdelivr\.net/gh/python-visualization/folium@[^/]+/folium/templates/([^/]+)', lambda f: _folium_file(f)),
]

def local_path(url:str):
    "The local copy of CDN `url` (query string ignored), or None."
    url = url.split('?', 1)[0].split('#', 1)[0]
    for pattern, fn in RULES:
        m = re.fullmatch(pattern, url)
        if m: return fn(*m.groups())
    return None

def missing_packages()->list:
    return [f'{p}@{v}' for p, v in NPM_PACKAGES.items() if _npm_file(p, v, 'package.json') is None]

def install()->None:
    "Install the npm packages that are missing (idempotent)."
    todo = missing_packages()
    if todo:
        subprocess.run(['npm', 'install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', str(ROOT), *todo], check=True)
    still = missing_packages()
    if still: sys.exit(f"browser_assets: npm did not install {still}")
    print(f"browser assets in {NODE_MODULES}: {', '.join(f'{p}@{v}' for p, v in NPM_PACKAGES.items())}")

if __name__ == '__main__':
    if sys.argv[1:] == ['install']: install()
    else: sys.exit("usage: python tools/browser_assets.py install")
