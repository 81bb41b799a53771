"""Role-matrix rows for the KPI API (merged into web/tests/test_role_matrix.py)."""

API: dict = {}
