"`ghostload map` and `ghostload generate --map` end to end: same bytes every time, the same page from disk and memory."
import re
import pytest

def test_map_command_is_deterministic_and_matches_generate_map(run_cli, tmp_path):
    args = ['--num-transformers', '12', '--num-meters', '600', '--seed', '5']
    assert run_cli('generate', *args, '--output-dir', 'a', '--map', '-q').returncode == 0
    assert run_cli('generate', *args, '--output-dir', 'b', '-q').returncode == 0
    assert not (tmp_path / 'b' / 'map.html').exists()
    assert run_cli('validate', 'a').returncode == 0  # map.html beside the dataset's files keeps it valid
    (tmp_path / 'out').mkdir()                          # -o writes a new file into an existing folder
    r1 = run_cli('map', 'b', '-o', 'one.html')
    r2 = run_cli('map', 'b', '-o', 'out/two.html')
    assert r1.returncode == r2.returncode == 0, r1.stderr + r2.stderr
    assert 'wrote map to' in r1.stdout and 'one.html' in r1.stdout
    one, two = (tmp_path / 'one.html').read_bytes(), (tmp_path / 'out' / 'two.html').read_bytes()
    assert one == two == (tmp_path / 'a' / 'map.html').read_bytes()
    page = one.decode()
    assert not re.search(r'[0-9a-f]{32}', page), "random uuid left in the page"
    assert page.count('gl-transformer gl-tx-') == 12 and 'MTR_000600' in page
    assert run_cli('map', 'b', '-q').returncode == 0 and (tmp_path / 'b' / 'map.html').read_bytes() == one

@pytest.mark.parametrize('argv,needle', [(['map', 'missing'], 'DATASET_DIR'), (['map', 'b', '--max-meters', '-2'], '--max-meters'),
                                         (['map', 'b', '-o', 'b'], '--output')])
def test_map_command_bad_input(run_cli, tmp_path, argv, needle):
    assert run_cli('generate', '--num-transformers', '5', '--num-meters', '100', '--output-dir', 'b', '-q').returncode == 0
    r = run_cli(*argv)
    assert r.returncode == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert 'Traceback' not in r.stderr and not (tmp_path / 'b' / 'map.html').exists()
