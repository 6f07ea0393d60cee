"""The Provenance benchmark (issue 7): `python -m bench --help`."""
