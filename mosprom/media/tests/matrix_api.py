"""Role-matrix rows for the media API (merged into web/tests/test_role_matrix.py)."""

API: dict = {}
