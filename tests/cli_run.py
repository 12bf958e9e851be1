"""Run `ghostload` in-process (`cli.main`, ~0.01 s a call) with stdout, stderr and the exit status captured, as the
subprocess fixture `run_cli` does (~1 s a call, mostly interpreter start-up and imports). The bad-input tests run a few
cases of each kind through the real console script and the rest in-process."""
import contextlib, io, os
from pathlib import Path
from types import SimpleNamespace
from ghostload_nb.cli import main

def run_inprocess(*args, cwd=None):
    "`ghostload ARGS` in this process, in folder `cwd`; returns an object with returncode, stdout and stderr."
    out, err, old = io.StringIO(), io.StringIO(), os.getcwd()
    if cwd is not None: os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err): code = main([str(a) for a in args])
    finally: os.chdir(old)
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())

def representatives(cases, per_category:int=1)->set:
    "Indices of the first `per_category` cases of each category (`cases` are tuples starting with the category)."
    seen, keep = {}, set()
    for i, case in enumerate(cases):
        seen[case[0]] = seen.get(case[0], 0) + 1
        if seen[case[0]] <= per_category: keep.add(i)
    return keep

def snapshot(root:Path)->dict:
    "Every path under `root` with its kind, size and modification time (links are not followed)."
    return {str(p.relative_to(root)): (st.st_mode, st.st_size if os.path.isfile(p) and not p.is_symlink() else 0, st.st_mtime_ns)
            for p in sorted(Path(root).rglob('*')) for st in [p.lstat()]}

def assert_one_line_exit_2(r, needle):
    "Exit status 2, exactly one line on stderr containing `needle`, no traceback, nothing on stdout."
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert needle in lines[0], (needle, lines[0])
    assert 'Traceback' not in r.stderr and r.stdout == ''
