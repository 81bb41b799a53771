"""Role-matrix rows for the games API (merged into web/tests/test_role_matrix.py)."""

API: dict = {}
