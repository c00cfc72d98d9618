"""Leads: intake from the contact form, routing to one owner, deadlines in working days, the workflow and the inbox."""
