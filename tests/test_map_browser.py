"Open a generated map.html, unchanged, in Debian chromium: markers, popups, layers, escaping, no page errors."
import json, subprocess
import pandas as pd
import pytest
from conftest import ghostload_exe
from browser import OfflinePage

HOSTILE = ['<img src=x onerror=alert(1)>', 'B`${alert(2)}`']

@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    "A dataset written by `ghostload generate --map`, with barangay names that would run script if not escaped."
    tmp = tmp_path_factory.mktemp('mapds')
    (tmp / 'cfg.json').write_text(json.dumps({'barangays': HOSTILE}))
    r = subprocess.run([ghostload_exe(), 'generate', '--num-transformers', '40', '--num-meters', '2500', '--seed', '11',
                        '--config', str(tmp / 'cfg.json'), '--output-dir', str(tmp / 'ds'), '--map', '-q'],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return tmp / 'ds'

# Finds a transformer whose centre is not covered by another marker, so a real click lands on it.
TOPMOST_TRANSFORMER = """() => {
    for (const el of document.querySelectorAll('path.gl-transformer')) {
        const b = el.getBoundingClientRect(), x = b.left + b.width / 2, y = b.top + b.height / 2;
        if (b.width > 0 && document.elementFromPoint(x, y) === el) {
            const cls = [...el.classList].find(c => c.startsWith('gl-tx-'));
            return {index: Number(cls.slice(6)), x: x, y: y};
        }
    }
    return null;
}"""

METERS_IN_CLUSTER = """() => Object.keys(window).filter(k => k.startsWith('fast_marker_cluster_'))
                                      .map(k => window[k].getLayers().length)"""

def test_map_opens_offline_with_every_marker_and_popup(browser, dataset):
    tx = pd.read_csv(dataset / 'transformers.csv')
    meters = pd.read_csv(dataset / 'meter_consumption.csv', usecols=['meter_id'])
    p = OfflinePage(browser)
    try:
        page = p.page
        page.goto((dataset / 'map.html').as_uri())
        page.wait_for_selector('path.gl-transformer', state='attached')
        assert page.locator('path.gl-transformer').count() == len(tx) == 40
        assert page.evaluate(METERS_IN_CLUSTER) == [len(meters)]
        assert page.locator('.marker-cluster').count() > 0
        assert page.locator('canvas.leaflet-heatmap-layer').count() == 1
        assert f"{len(tx)} transformers, {len(meters):,} meters" in page.locator('.gl-legend').inner_text()
        hit = page.evaluate(TOPMOST_TRANSFORMER)
        assert hit is not None, "no transformer marker can be clicked"
        page.mouse.click(hit['x'], hit['y'])
        popup = page.locator('.leaflet-popup-content')
        popup.wait_for()
        row = tx.iloc[hit['index']]
        lines = popup.inner_text().splitlines()
        assert lines[0] == row.transformer_id
        assert lines[1] == f"barangay: {row.barangay}" and row.barangay in HOSTILE  # shown as text, not run
        assert f"capacity: {row.capacity_kVA:g} kVA" in lines
        energy = pd.read_csv(dataset / 'transformer_energy.csv')
        mine = energy[energy.transformer_id == row.transformer_id]
        assert f"loss: {100 * mine.loss_kwh.sum() / mine.delivered_kwh.sum():.1f} %" in lines  # the energy balance's loss
        page.wait_for_timeout(300)  # popup fade-in
        p.screenshot('map.png')
        assert p.errors == [] and p.dialogs == []
        assert p.unmapped == [], f"CDN requests with no local copy: {p.unmapped}"
        assert any(u.endswith('/leaflet.js') for u in p.served) and any('markercluster' in u for u in p.served)
    finally: p.close()

def test_layer_control_hides_meters(browser, dataset):
    p = OfflinePage(browser)
    try:
        page = p.page
        page.goto((dataset / 'map.html').as_uri())
        page.wait_for_selector('.marker-cluster')
        labels = page.locator('.leaflet-control-layers-overlays label').all_inner_texts()
        assert [l.strip() for l in labels] == ['Unbilled energy (heat)', 'Transformers', 'Meters']
        page.get_by_label('Meters').uncheck()
        assert page.locator('.marker-cluster').count() == 0
        assert page.locator('path.gl-transformer').count() == 40
        page.get_by_label('Transformers').uncheck()
        assert page.locator('path.gl-transformer').count() == 0
        assert p.errors == [] and p.dialogs == []
    finally: p.close()

TOPMOST_METER = TOPMOST_TRANSFORMER.replace('path.gl-transformer', 'path.gl-meter').replace(
    "const cls = [...el.classList].find(c => c.startsWith('gl-tx-'));\n            return {index: Number(cls.slice(6)), x: x, y: y};",
    "return {x: x, y: y};")

def test_meter_popup_shows_its_ground_truth(browser, dataset):
    "Zoom to a thief until clusters open, click a meter, and compare its popup with the CSV files."
    meters = pd.read_csv(dataset / 'meter_consumption.csv', usecols=['meter_id', 'transformer_id', 'customer_class', 'lat', 'lon'])
    labels = pd.read_csv(dataset / 'anomaly_labels.csv').set_index('meter_id')
    thief = meters[meters.meter_id.isin(labels.index)].iloc[0]
    p = OfflinePage(browser)
    try:
        page = p.page
        page.goto((dataset / 'map.html').as_uri())
        page.wait_for_selector('.marker-cluster')
        page.evaluate(f"""() => window[Object.keys(window).find(k => /^map_gl\\d+$/.test(k))].setView([{thief.lat}, {thief.lon}], 18, {{animate: false}})""")
        page.wait_for_selector('path.gl-meter', state='attached')
        page.get_by_label('Transformers').uncheck()  # so the click lands on a meter
        hit = page.evaluate(TOPMOST_METER)
        assert hit is not None, "no meter marker can be clicked"
        page.mouse.click(hit['x'], hit['y'])
        popup = page.locator('.leaflet-popup-content')
        popup.wait_for()
        lines = popup.inner_text().splitlines()
        row = meters.set_index('meter_id').loc[lines[0]]
        assert lines[1] == f"class: {row.customer_class}" and lines[2] == f"transformer: {row.transformer_id}"
        if lines[0] in labels.index: assert lines[-1].startswith(f"theft, risk {labels.risk_band[lines[0]]}")
        else: assert 'theft' not in popup.inner_text()
        assert p.errors == [] and p.dialogs == []
    finally: p.close()
