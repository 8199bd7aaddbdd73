"""Sales-side reference data."""

from __future__ import annotations

from tap_infor_cloudsuite import m3_files
from tap_infor_cloudsuite.client import M3ExportStream


class CustomersStream(M3ExportStream):
    """Customer master (OCUSMA), per company."""

    name = "customers"
    file = m3_files.OCUSMA
