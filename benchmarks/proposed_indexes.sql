-- Indexes proposed for the back office at 100,000 leads (PostgreSQL). Measure them with
--   .venv/bin/python benchmarks/backoffice.py --apply-sql benchmarks/proposed_indexes.sql
-- and ship them as an Alembic migration (Index(..., postgresql_where=..., postgresql_include=...) in
-- Lead.__table_args__ and on the lead_instrument table).
-- Inbox, coordinator's "all" view of open leads by due date (the default sort):
CREATE INDEX ix_lead_open_region_due ON lead (region_id, due_on, id) WHERE status <> 'closed';
-- Inbox "mine" and "team" views of open leads by due date; the INCLUDE serves the reports' open-leads count:
CREATE INDEX ix_lead_open_owner_due ON lead (owner_id, due_on, id) INCLUDE (status, first_contact_at, region_id)
  WHERE status <> 'closed';
-- Inbox with closed leads too (status=all), by due date, and its deep pages:
CREATE INDEX ix_lead_region_due ON lead (region_id, due_on, id);
-- Inbox filter by instrument (the primary key of lead_instrument starts with lead_id):
CREATE INDEX ix_lead_instrument_instrument ON lead_instrument (instrument_id, lead_id);
-- Reports: the period's leads read from the index alone (index-only scans):
CREATE INDEX ix_lead_region_created_cover ON lead (region_id, created_at)
  INCLUDE (status, outcome, request_type, sector, size_band, location_municipality_id, owner_id, first_contact_at,
           source, referrer);
-- Reports: placements (closed with outcome placed) in the period, by closing date:
CREATE INDEX ix_lead_placed_closed ON lead (region_id, closed_at) INCLUDE (sector)
  WHERE status = 'closed' AND outcome = 'placed';
