"""Role-matrix rows for the SEZ pages (merged into web/tests/test_role_matrix.py)."""

PAGES: dict = {}
