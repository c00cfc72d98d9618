"""Instrument content in the back office: who may edit what, drafts, versions, publication and staleness."""
