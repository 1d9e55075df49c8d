"""Import of interactions from CSV and XLSX files: streaming readers, column mapping, and the import run.

Rows go through the same ingestion service as the bulk API, a chunk of ``MAX_BULK_ROWS`` at a time, so a
file is validated and stored by exactly the rules an API client meets, and memory stays flat.
"""
