"""Rewrite citations of the (unpublished) domain notes into links to the references page.

The notebooks once cited "DOMAIN.md §3.1", a file that is not in the repository. Each such citation becomes a link
to the entry or group of the references page (nbs/90_references.ipynb -> references.html) that holds the original
sources of that section: "(DOMAIN.md §3.1)" -> "([Meralco customers and consumption](references.html#meralco-consumption))".
Bare section marks (§5.6) in a cell that cited the notes are linked the same way; a bare "DOMAIN.md" becomes "the
[references](references.html)". Code cells get plain text (no Markdown link in a comment).

    python tools/cite_references.py            # rewrite every notebook in nbs/ (idempotent)
    python tools/cite_references.py --check    # exit 1 and list what is left, change nothing
    python tools/cite_references.py nbs/03_anomalies.ipynb --dry-run   # print the changes only
"""
import argparse, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 'references.html'
# section of the notes -> (link text, anchor on the references page)
SECTIONS = {
    '1': ('theft attack models', 'theft-models'),
    '1.1': ('Jokar et al. 2016', 'jokar-2016'),
    '1.2': ('Punmiya & Choe 2019; Qi et al. 2022; Chuwa et al. 2021', 'later-attacks'),
    '2': ('real theft data and detection results', 'ntl-datasets'),
    '3': ('Meralco figures', 'philippines'),
    '3.1': ('Meralco customers and consumption', 'meralco-consumption'),
    '3.2': ('Philippine losses and theft', 'losses-theft'),
    '3.3': ('network parameters', 'network'),
    '4': ('other generators', 'prior-art'),
    '5': ('design choices', 'design'),
    '5.1': ('design: classes and consumption', 'design-consumption'),
    '5.2': ('design: seasonality', 'design-seasonality'),
    '5.3': ('design: network', 'design-network'),
    '5.4': ('design: attacks', 'design-attacks'),
    '5.5': ('design: energy balance', 'design-energy-balance'),
    '5.6': ('design: prevalence and clustering', 'design-prevalence'),
    '5.7': ('design: legitimate look-alikes', 'design-confounders'),
    '5.8': ('design: data quality', 'design-data-quality'),
    '5.9': ('design: observed labels', 'design-labels'),
    '5.10': ('design: difficulty', 'design-difficulty'),
    '5.11': ('design: reproducibility', 'design-reproducibility'),
    '6': ('Metro Manila LGUs', 'lgus'),
    '7': ('synthetic against real', 'realism'),
}
SEC = r'§\s?(\d+(?:\.\d+)?)(?:[–-](\d+(?:\.\d+)?))?'  # §3.1, §1.1–1.2
CITE = re.compile(r'`?DOMAIN\.md`?\s+(' + SEC + r'(?:\s*,\s*' + SEC + r')*)')
BARE_SECTION = re.compile(r'(?<![\w\]/#])' + SEC + r'(?![\w\]])')
BARE = [(re.compile(r'`?DOMAIN\.md`?\s+has\b'), 'the {link} have'), (re.compile(r'`?DOMAIN\.md`?\s+gives\b'), 'the {link} give'),
        (re.compile(r'`?DOMAIN\.md`?'), 'the {link}')]
NOT_NOTES = re.compile(r'RFC\s*\d+[^§]{0,30}$|ISO[^§]{0,20}$')  # a § of another document

def _sections(m:re.Match)->list:
    "The section numbers a citation names, ranges expanded on their last level (§1.1–1.2 -> 1.1, 1.2)."
    out = []
    for a, b in re.findall(SEC, m.group(0)):
        out.append(a)
        if b:
            pa, pb = a.split('.'), b.split('.')
            if len(pa) == len(pb) and pa[:-1] == pb[:-1]:
                out += ['.'.join(pa[:-1] + [str(i)]) for i in range(int(pa[-1]) + 1, int(pb[-1]) + 1)]
            else: out.append(b)
    return out

def link(sec:str, code:bool=False)->str:
    "The link for one section of the notes (a ValueError for a section the map does not know)."
    if sec not in SECTIONS:
        parent = sec.split('.')[0]
        if parent not in SECTIONS: raise ValueError(f"cite_references: no reference entry for §{sec}")
        sec = parent
    text, anchor = SECTIONS[sec]
    return f"{text}, {PAGE}#{anchor}" if code else f"[{text}]({PAGE}#{anchor})"

def rewrite(text:str, code:bool=False)->str:
    "One cell's source with every citation of the notes replaced by links."
    if 'DOMAIN.md' not in text: return text
    join = lambda secs: '; '.join(link(s, code) for s in secs)
    text = CITE.sub(lambda m: join(_sections(m)), text)
    for pat, repl in BARE:
        repl = repl.format(link=f"references, {PAGE}" if code else f"[references]({PAGE})")
        text = pat.sub(lambda m: repl[0].upper() + repl[1:] if re.search(r'(^|[.!?:]\s+|\n\n)$', text[:m.start()]) else repl, text)
    def bare(m):
        if NOT_NOTES.search(text[max(0, m.start() - 40):m.start()]): return m.group(0)
        return join(_sections(m))
    # the remaining bare § marks of a cell that cited the notes refer to the notes too
    parts = re.split(r'(\[[^\]]*\]\([^)]*\))', text)  # leave the links just made alone
    return ''.join(p if i % 2 else BARE_SECTION.sub(bare, p) for i, p in enumerate(parts))

def rewrite_notebook(path:Path, dry_run:bool=False)->int:
    "Rewrite one notebook in place (JSON edited directly: outputs and metadata untouched); returns the cells changed."
    nb = json.loads(path.read_text(encoding='utf-8'))
    changed = 0
    for cell in nb['cells']:
        src = ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']
        new = rewrite(src, code=cell['cell_type'] == 'code')
        if new != src:
            changed += 1
            if dry_run: print(f"--- {path.name}\n- {src!r}\n+ {new!r}")
            cell['source'] = new.splitlines(keepends=True)
    if changed and not dry_run:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + '\n', encoding='utf-8')
    return changed

def left(paths)->list:
    "(notebook, excerpt) for every citation of the notes still there."
    out = []
    for p in paths:
        for cell in json.loads(p.read_text(encoding='utf-8'))['cells']:
            src = ''.join(cell['source'])
            out += [(p.name, src[max(0, m.start() - 30):m.end() + 30].replace('\n', ' ')) for m in re.finditer(r'DOMAIN\.md|STYLE\.md', src)]
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('paths', nargs='*', type=Path, help="notebooks (default: every nbs/*.ipynb)")
    ap.add_argument('--check', action='store_true', help="list citations left and exit 1 if any; change nothing")
    ap.add_argument('--dry-run', action='store_true', help="print the changes, write nothing")
    a = ap.parse_args()
    paths = a.paths or sorted((ROOT / 'nbs').glob('*.ipynb'))
    if a.check:
        rest = left(paths)
        for nb, ex in rest: print(f"{nb}: ...{ex}...")
        sys.exit(1 if rest else 0)
    total = {p.name: rewrite_notebook(p, a.dry_run) for p in paths}
    print(f"cite_references: {sum(total.values())} cells in {sum(1 for v in total.values() if v)} notebooks"
          + (" (dry run)" if a.dry_run else ''))
