"""Role-matrix rows for the media pages (merged into web/tests/test_role_matrix.py)."""

PAGES: dict = {}
