"""Accredited intermediaries: the organisations (coordinators keep them), the portal's rule of who may see which
profile (scope), the shortlists and the requests they send on behalf of a named client employer."""
