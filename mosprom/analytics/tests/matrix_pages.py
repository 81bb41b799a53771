"""Role-matrix rows for the analytics pages (merged into web/tests/test_role_matrix.py)."""

PAGES: dict = {}
