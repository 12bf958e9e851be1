"""Citations: tools/cite_references.py turns the notebooks' "DOMAIN.md §x" citations into links to entries of the
references page (nbs/90_references.ipynb), and every link to that page names an anchor the page has."""
import json, re, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import cite_references as cr  # noqa: E402

def anchors()->set:
    nb = json.loads((ROOT / 'nbs' / '90_references.ipynb').read_text(encoding='utf-8'))
    return set(re.findall(r'<a id="([^"]+)"></a>', ''.join(''.join(c['source']) for c in nb['cells'])))

def ref_links(text:str)->list: return re.findall(r'references\.html#([\w-]+)', text)

def test_every_section_has_a_reference_entry():
    assert {a for _, a in cr.SECTIONS.values()} <= anchors()

def test_rewrite_examples():
    assert cr.rewrite("(DOMAIN.md §3.1)") == "([Meralco customers and consumption](references.html#meralco-consumption))"
    assert cr.rewrite("(DOMAIN.md §2, §5.5)") == ("([real theft data and detection results](references.html#ntl-datasets); "
                                                  "[design: energy balance](references.html#design-energy-balance))")
    assert ref_links(cr.rewrite("zero window (DOMAIN.md §1.1–1.2; Qi)")) == ['jokar-2016', 'later-attacks']
    assert cr.rewrite("x. DOMAIN.md gives no figure") == "x. The [references](references.html) give no figure"
    assert cr.rewrite("(DOMAIN.md §3.2), and §5.6 suggests") == \
        "([Philippine losses and theft](references.html#losses-theft)), and [design: prevalence and clustering](references.html#design-prevalence) suggests"
    assert cr.rewrite("# lgu, lat (DOMAIN.md §6)", code=True) == "# lgu, lat (Metro Manila LGUs, references.html#lgus)"
    assert cr.rewrite("RFC 7946 §4, no notes cited") == "RFC 7946 §4, no notes cited"  # a cell without the notes: untouched
    with pytest.raises(ValueError, match="§9"): cr.rewrite("DOMAIN.md §9")

def test_rewriting_a_copy_of_the_notebooks(tmp_path):
    "On a copy of nbs/: nothing left to rewrite, every link made resolves, a second run changes nothing."
    for nb in (ROOT / 'nbs').glob('*.ipynb'): shutil.copy(nb, tmp_path / nb.name)
    r = subprocess.run([sys.executable, str(ROOT / 'tools' / 'cite_references.py'), *map(str, sorted(tmp_path.glob('*.ipynb')))],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    check = subprocess.run([sys.executable, str(ROOT / 'tools' / 'cite_references.py'), '--check', *map(str, sorted(tmp_path.glob('*.ipynb')))],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    text = ''.join(p.read_text(encoding='utf-8') for p in tmp_path.glob('*.ipynb'))
    assert set(ref_links(text)) <= anchors()
    before = {p.name: p.read_bytes() for p in tmp_path.glob('*.ipynb')}
    subprocess.run([sys.executable, str(ROOT / 'tools' / 'cite_references.py'), *map(str, sorted(tmp_path.glob('*.ipynb')))], check=True, capture_output=True)
    assert {p.name: p.read_bytes() for p in tmp_path.glob('*.ipynb')} == before

def test_links_to_the_references_page_resolve():
    "Links already in the notebooks (and the card module) name anchors of the references page."
    text = ''.join(p.read_text(encoding='utf-8') for p in (ROOT / 'nbs').glob('*.ipynb'))
    assert set(ref_links(text)) <= anchors()

def test_no_notebook_cites_files_outside_the_repository():
    "DOMAIN.md and STYLE.md are not in the repository: no notebook or tool may point a reader to them."
    assert cr.left(sorted((ROOT / 'nbs').glob('*.ipynb'))) == []
    assert 'STYLE.md' not in (ROOT / 'tools' / 'build_docs.py').read_text()
