"""Role-matrix rows for the games pages (merged into web/tests/test_role_matrix.py)."""

PAGES: dict = {}
