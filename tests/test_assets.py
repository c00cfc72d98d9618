"""The stylesheet build (scripts/build-css.mjs, Lightning CSS): what it keeps, what it purges, what is on top.

The build runs here into a scratch folder, from the same node_modules as scripts/_setup.sh installs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "scripts" / "build-css.mjs"
NODE_MODULES = ROOT / "node_modules"
TEMPLATES = ROOT / "wsp_site" / "templates"
# Where the build looks for component class names (templates, Python modules, our JS).
SCANNED = [*ROOT.joinpath("wsp_site").rglob("*.html"), *ROOT.joinpath("wsp_site").rglob("*.py")]
SCANNED += [*ROOT.joinpath("wsp_site", "static", "js").rglob("*.js")]
CLASS_TOKEN = re.compile(r"(?<![\w-])(?:utrecht|nl)-[\w-]*")
PAGES = [
    "/",
    "/instrumenten/jobcoaching",
    "/gemeenten/polderdam",
    "/wegwijzer?situatie=bijstand&gemeente=polderdam",
    "/zoeken?q=proefplaatsing",
    "/contact",
    "/beheer/inloggen",
    "/embed/gemeenten/polderdam",
]
# Component classes the site never uses, from stylesheets the build does include.
UNUSED = ["utrecht-button", "utrecht-textbox--house-number-size", "nl-button--icon-only"]


def node() -> str | None:
    local = Path(sys.executable).parent / "node"  # the Node.js wheel of scripts/_setup.sh, when there is no node
    return shutil.which("node") or (str(local) if local.exists() else None)


@pytest.fixture(scope="module")
def built_css(tmp_path_factory) -> str:
    if node() is None or not (NODE_MODULES / "lightningcss").is_dir():
        if os.environ.get("CI"):
            pytest.fail("node or node_modules/ is missing: scripts/_setup.sh installs them")
        pytest.skip("node or node_modules/ is missing (scripts/test installs them)")
    out = tmp_path_factory.mktemp("css") / "wsp.css"
    subprocess.run([node(), str(BUILD), "--out", str(out)], check=True, capture_output=True, timeout=120)
    return out.read_text(encoding="utf-8")


def component_sources() -> str:
    css = [*NODE_MODULES.glob("@utrecht/*-css/dist/index.css")]
    css += [*NODE_MODULES.glob("@nl-design-system-candidate/*-css/dist/*.css")]
    return "\n".join(path.read_text(encoding="utf-8") for path in css)


def styled_alone(css: str) -> set[str]:
    """Classes that have a rule of their own: a selector (in a list) that is that one class and nothing else."""
    return set(re.findall(r"(?:^|[{};,])\s*\.((?:utrecht|nl)-[\w-]+)\s*(?=[,{])", css, flags=re.MULTILINE))


def has_class(css: str, name: str) -> bool:
    return re.search(rf"\.{re.escape(name)}(?![\w-])", css) is not None


def mentioned() -> set[str]:
    return {token for path in SCANNED for token in CLASS_TOKEN.findall(path.read_text(encoding="utf-8"))}


def test_licence_notice_on_top(built_css):
    assert built_css.startswith("/*! wsp.css | components: @utrecht/component-library-css")
    assert "EUPL-1.2" in built_css.splitlines()[0]
    # minified: the rest is one line, no comments left
    rest = built_css.split("\n", 1)[1]
    assert "/*" not in rest and rest.count("\n") <= 1


def test_built_css_styles_every_component_class_the_templates_name(built_css):
    styled = styled_alone(component_sources())
    in_templates = {
        token
        for path in TEMPLATES.rglob("*.html")
        for token in CLASS_TOKEN.findall(path.read_text(encoding="utf-8"))
        if not token.endswith("-")
    }
    expected = in_templates & styled
    assert len(expected) > 40, "the templates use the NL Design System components"
    assert {name for name in expected if not has_class(built_css, name)} == set()


def test_built_css_styles_the_classes_the_pages_render(built_css, client):
    """Also the classes a template builds from parts ("utrecht-form-field--" ~ type): the prefix keeps them."""
    styled = styled_alone(component_sources())
    rendered: set[str] = set()
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        for element in BeautifulSoup(response.data, "html.parser").find_all(class_=True):
            rendered.update(c for c in element["class"] if CLASS_TOKEN.fullmatch(c))
    built_from_parts = {name for name in rendered & styled if name not in mentioned()}
    assert built_from_parts, "some classes are written as a prefix and a variable part"
    assert {name for name in rendered & styled if not has_class(built_css, name)} == set()
    # and the site's own classes stay, used or not: only component classes are purged
    assert has_class(built_css, "wsp-theme") and has_class(built_css, "wsp-header")


@pytest.mark.parametrize("name", UNUSED)
def test_unused_component_classes_are_purged(built_css, name):
    assert name in styled_alone(component_sources()), "a class of a component the build includes"
    assert name not in mentioned(), "no template, module or script names it"
    assert not has_class(built_css, name)


def test_design_tokens_are_folded(built_css):
    """var(--x, fallback) of a component token that the theme does not set is written as its fallback."""
    sources = component_sources()
    assert "var(--utrecht-textbox-border-color" in sources
    assert "var(--utrecht-textbox-border-color" not in built_css
    # the theme's own values end up in the component rules (the focus ring colour of our palette)
    assert "#0b2a4a" in built_css
