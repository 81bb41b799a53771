"""Role-matrix rows for the SEZ API (merged into web/tests/test_role_matrix.py)."""

API: dict = {}
