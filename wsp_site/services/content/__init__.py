"""Instrument content in the back office, one job per module.

scope (who may edit what), snapshots (an instrument's editable content and its field labels), validation (the
editor's input, checked with schemas.instrument), versions (the history and the working copy), publishing
(create, save, publish, unpublish, restore), preview, diff (what changed between versions), staleness (the
editor's list and the monthly digest of content nobody reviewed).
"""
