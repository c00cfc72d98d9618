"""Region packs: read (and validate, with schemas.region_pack) the YAML of a region, apply it to the database,
export and import it (exchange), install a region on a new database (install)."""
