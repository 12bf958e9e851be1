"""Regenerate the pictures on the landing page (nbs/index.ipynb, README.md): `python tools/make_images.py`.

- nbs/images/ghost_load.png: true vs billed energy of the default dataset's thieves, month by month (matplotlib).
- nbs/images/map.png: the default dataset's `map.html` (`ghostload_nb.maps.make_map`) in headless Debian chromium,
  with the CDN scripts served from node_modules/ (tools/browser_assets.py) and map tiles blocked.
The PNGs are committed; nothing in the tests regenerates them."""
import sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / 'nbs' / 'images'
sys.path.insert(0, str(ROOT / 'tools'))
from browser_assets import local_path  # noqa: E402

CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run']

def plot(pipe, outputs, path:Path):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    m, lab = outputs['meters_df'], outputs['anomaly_labels_df']
    theft = m.meter_id.isin(lab.meter_id).to_numpy()
    true_kwh, billed_kwh = pipe.meter_generator.true_kwh[theft].sum(0) / 1e3, pipe.meter_generator.billed_kwh[theft].sum(0) / 1e3
    months = [c[-6:-2] + '-' + c[-2:] for c in pipe.config.month_columns]
    x = np.arange(len(months))
    fig, ax = plt.subplots(figsize=(7, 3), dpi=100)
    ax.plot(x, true_kwh, marker='o', ms=3, label='consumed (true)')
    ax.plot(x, billed_kwh, marker='o', ms=3, label='billed')
    ax.fill_between(x, billed_kwh, true_kwh, alpha=0.2, color='tab:red', label='ghost load (unbilled)')
    ax.set(xticks=x[::2], xticklabels=months[::2], ylabel='MWh / month',
           title=f'The {int(theft.sum())} thieves of the default dataset: consumed vs billed')
    ax.legend(frameon=False, fontsize=8); fig.tight_layout()
    fig.savefig(path, metadata={'Software': None}); plt.close(fig)

def screenshot(html:Path, path:Path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path='/usr/bin/chromium', args=CHROMIUM_ARGS)
        page = b.new_page(viewport={'width': 900, 'height': 560})
        def route(r):
            f = None if r.request.url.startswith('file:') else local_path(r.request.url)
            if r.request.url.startswith('file:'): return r.continue_()
            return r.fulfill(path=str(f)) if f else r.abort()
        page.route('**/*', route)
        page.goto(html.as_uri())
        page.wait_for_selector('path.gl-transformer', state='attached')
        page.wait_for_timeout(500)
        page.screenshot(path=str(path))
        b.close()

if __name__ == '__main__':
    from ghostload_nb import GeneratorConfig, SyntheticDataPipeline
    from ghostload_nb.maps import make_map, save_map
    IMAGES.mkdir(parents=True, exist_ok=True)
    pipe = SyntheticDataPipeline(GeneratorConfig())
    outputs = pipe.generate_all()
    plot(pipe, outputs, IMAGES / 'ghost_load.png')
    with tempfile.TemporaryDirectory() as tmp:
        screenshot(save_map(make_map(outputs), Path(tmp) / 'map.html'), IMAGES / 'map.png')
    for p in sorted(IMAGES.glob('*.png')): print(f"{p.relative_to(ROOT)}: {p.stat().st_size:,} bytes")
