"""Role-matrix rows for the export pages (merged into web/tests/test_role_matrix.py)."""

PAGES: dict = {}
