"""Load scenarios for `make bench` (not part of the product; see bench/README.md)."""
