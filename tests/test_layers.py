"""The package's import structure (issue 11): no import cycle among `ghostload_nb` modules, counting imports inside
functions, and the generation layer's imports all point down the order documented in nbs/00a_units.ipynb."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / 'ghostload_nb'
# bottom to top; a module may import only modules of a lower rank (nbs/00a_units.ipynb, "How the generation modules are layered")
GENERATION = {'units': 0, 'seeding': 1, 'geography': 1, 'presets': 2, 'config': 3, 'consumption': 4, 'sizing': 5,
              'grid': 6, 'patterns': 6, 'thieves': 7, 'events': 7, 'tagging': 7, 'anomalies': 8, 'energy': 9, 'meters': 10}

def imports() -> dict:
    "Module -> the package modules it imports anywhere (top level or inside functions)."
    mods = {p.stem: p for p in PKG.glob('*.py') if not p.stem.startswith('_') and p.stem != 'all'}
    out = {m: set() for m in mods}
    for m, p in mods.items():
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1: targets = [node.module.split('.')[0]] if node.module else [a.name for a in node.names]
                elif node.module and node.module.startswith('ghostload_nb.'): targets = [node.module.split('.')[1]]
                elif node.module == 'ghostload_nb': targets = [a.name for a in node.names]
                else: targets = []
            elif isinstance(node, ast.Import): targets = [a.name.split('.')[1] for a in node.names if a.name.startswith('ghostload_nb.')]
            else: continue
            out[m] |= {t for t in targets if t in mods and t != m}
    return out

def cycle(edges: dict):
    "One import cycle as a list of modules, or None."
    state, stack = {}, []
    def visit(v):
        state[v] = 'open'; stack.append(v)
        for w in sorted(edges[v]):
            if state.get(w) == 'open': return stack[stack.index(w):] + [w]
            if w not in state and (found := visit(w)): return found
        state[v] = 'done'; stack.pop()
    for v in sorted(edges):
        if v not in state and (found := visit(v)): return found

def test_cycle_finder_finds_a_cycle():
    assert cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': set()}) == ['a', 'b', 'c', 'a']
    assert cycle({'a': {'b'}, 'b': set()}) is None

def test_no_import_cycle():
    assert cycle(imports()) is None

def test_generation_layer_points_down():
    edges = imports()
    assert set(GENERATION) <= set(edges), set(GENERATION) - set(edges)
    upward = [(m, t) for m in GENERATION for t in edges[m] if t in GENERATION and GENERATION[t] >= GENERATION[m]]
    assert upward == [], upward
