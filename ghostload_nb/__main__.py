"`python -m ghostload_nb ...` runs the `ghostload` command line."
from ghostload_nb.cli import main

if __name__ == '__main__': raise SystemExit(main())
