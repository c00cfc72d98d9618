"""Reports for the region: counts in the database, tables, charts data and CSV, and their cache."""
