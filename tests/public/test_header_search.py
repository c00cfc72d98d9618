"""The header's search field has a label that everyone sees, not one for screen readers only."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("lang", "text"), [("nl", "Zoeken op deze website"), ("en", None)])
def test_the_header_search_field_has_a_visible_label(client_request, lang, text):
    page = client_request.get("public.home", _lang=lang)
    field = page.select_one("header form[role=search] input[name=q]")
    label = page.find("label", attrs={"for": field["id"]})
    assert label is not None and label.get_text(strip=True)
    if text:
        assert label.get_text(strip=True) == text
    assert "wsp-visually-hidden" not in label.get("class", [])
    assert label.find_parent("form") is field.find_parent("form")
