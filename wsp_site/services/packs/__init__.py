"""Region packs: read and validate the YAML of a region, load it into the database, export and import it."""
