"""Role-matrix rows for the export API (merged into web/tests/test_role_matrix.py)."""

API: dict = {}
