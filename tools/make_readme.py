"""Generate README.md from nbs/index.ipynb without Quarto (nbdev_readme needs Quarto).

Hidden cells (`#| hide`) are dropped, directive comments removed, and the notebook rendered to Markdown with nbconvert.
`python tools/make_readme.py --check` exits 1 if README.md is stale."""
import sys, re
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent

def render() -> str:
    nb = nbformat.read(root / 'nbs' / 'index.ipynb', as_version=4)
    cells = []
    for c in nb.cells:
        src = c.source
        if c.cell_type == 'code':
            if re.search(r'^#\|\s*hide\b', src, re.M): continue
            c.source = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
            c.outputs = [o for o in c.get('outputs', []) if o.get('output_type') != 'display_data' or 'image/png' not in o.get('data', {})]
        cells.append(c)
    nb.cells = cells
    nb.metadata['language_info'] = {'name': 'python'}
    body, _ = MarkdownExporter(exclude_raw=True).from_notebook_node(nb)
    body = re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'
    body = body.replace('](images/', '](nbs/images/')  # pictures live in nbs/images, README.md at the root
    return '<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->\n\n' + body

if __name__ == '__main__':
    text = render()
    readme = root / 'README.md'
    if '--check' in sys.argv:
        if readme.read_text(encoding='utf-8') != text:
            print("README.md is stale: run `python tools/make_readme.py`", file=sys.stderr); sys.exit(1)
        print("README.md is up to date")
    else:
        readme.write_text(text, encoding='utf-8'); print("wrote", readme)
