"""The people of the back office: sign-in and credentials (auth), what coordinators change about people (staff)
and the audit trail of such changes (audit). Routing rules and the default key account are in leads.rules."""
