"""Importers: other systems' extracts in, a team folder (inputs/README.md) out.

`ssd` reads CSV extracts of the Standard Safeguarding Dataset; every code mapping it applies is
a documented table in `ssd_codes`.
"""
