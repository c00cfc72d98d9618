"""The Jinja set-up: every component macro is a global, and inside it _(), url_for and strict undefined work as
they did with `{% from "components/x.html" import y %}`; pages and layouts import no component themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import render_template_string
from jinja2 import UndefinedError

from wsp_site.templating import COMPONENTS

TEMPLATES = Path(__file__).resolve().parent.parent / "wsp_site" / "templates"
MACRO = re.compile(r"{%-? macro (\w+)\(")


def _public_macros() -> set[str]:
    found = set()
    for path in (TEMPLATES / COMPONENTS).glob("*.html"):
        found.update(name for name in MACRO.findall(path.read_text(encoding="utf-8")) if not name.startswith("_"))
    return found


def _render(app, source: str, lang: str = "nl", **context) -> str:
    with app.test_request_context("/", environ_overrides={"wsp.lang": lang}):
        return render_template_string(source, **context)


def test_every_public_component_macro_is_a_global(app):
    macros = _public_macros()
    assert {"paragraph", "heading", "table", "text_input", "status_badge", "button_group"} <= macros
    assert macros <= set(app.jinja_env.globals)
    assert "_label" not in app.jinja_env.globals and "_cell_content" not in app.jinja_env.globals  # private


def test_no_page_imports_a_component():
    importing = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.parent.name != COMPONENTS and '"components/' in path.read_text(encoding="utf-8")
    ]
    assert not importing, f"import nothing from components/, the macros are globals: {importing}"


@pytest.mark.parametrize(
    ("lang", "label", "previous"), [("nl", "Kruimelpad", "Vorige"), ("en", "Breadcrumb", "Previous")]
)
def test_gettext_inside_a_macro_follows_the_page_language(app, lang, label, previous):
    html = _render(app, "{{ breadcrumb([('Home', '/'), ('Hier', None)]) }}{{ pagination(2, 3, '/x') }}", lang)
    assert f'aria-label="{label}"' in html
    assert f">{previous}<" in html


def test_a_call_block_url_for_and_markup_reach_the_macro(app):
    html = _render(app, "{% call paragraph(lead=True) %}<a href=\"{{ url_for('public.home') }}\">x</a>{% endcall %}")
    assert html == '<p class="nl-paragraph nl-paragraph--lead"><a href="/">x</a></p>'
    assert _render(app, "{{ paragraph('<b>') }}") == '<p class="nl-paragraph">&lt;b&gt;</p>'


def test_strict_undefined_holds_inside_a_macro(app):
    with pytest.raises(UndefinedError):
        _render(app, "{{ card_grid([{'title': 'Zonder href'}]) }}")
    with pytest.raises(TypeError):
        _render(app, "{% call link('x', '/') %}body{% endcall %}")  # link takes no body: as with {% from %}


def test_an_assets_url_follows_its_content_at_most_a_second_late(app, tmp_path, monkeypatch):
    from wsp_site import templating

    (tmp_path / "x.css").write_text("a{}")
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    clock = [1000.0]
    monkeypatch.setattr(templating.time, "monotonic", lambda: clock[0])
    with app.test_request_context("/"):
        first = templating.asset_url("x.css")
        (tmp_path / "x.css").write_text("b{}")
        clock[0] += 0.5
        assert templating.asset_url("x.css") == first  # no stat() within the second
        clock[0] += 0.6
        changed = templating.asset_url("x.css")
    assert changed != first and changed.startswith("/static/x.css?v=")
