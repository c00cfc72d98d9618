-- Indexes proposed for the lead inbox at 100,000 leads (PostgreSQL). Measure them with
--   .venv/bin/python benchmarks/backoffice.py --apply-sql benchmarks/proposed_indexes.sql
-- and ship them as an Alembic migration (Index(..., postgresql_where=...) on the Lead model).
-- Open leads by due date, region-wide (coordinator's "all" view, the default sort):
CREATE INDEX ix_lead_open_region_due ON lead (region_id, due_on, id) WHERE status <> 'closed';
-- Open leads by due date per owner ("mine" and "team" views):
CREATE INDEX ix_lead_open_owner_due ON lead (owner_id, due_on, id) WHERE status <> 'closed';
-- Every lead by due date (status=all, deep pages):
CREATE INDEX ix_lead_region_due ON lead (region_id, due_on, id);
-- The instrument filter: leads of one instrument (the primary key starts with lead_id):
CREATE INDEX ix_lead_instrument_instrument ON lead_instrument (instrument_id, lead_id);
