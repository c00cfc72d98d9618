"""Presentation helpers shared by the templates: Markdown, charts, absolute URLs."""
