"""Build-time helpers for Samtalsguiden."""
