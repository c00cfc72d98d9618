"""Privacy: retention periods and the purge, and data-subject requests (find, export, erase)."""
