"""Build static/dist/wsp.css: NL Design System component CSS from node_modules + our theme and layout.

Run from the project root after `npm ci`:  python scripts/build_assets.py

Steps:
1. read the component stylesheets listed in COMPONENTS (only components the site may use);
2. drop every selector that names a component class (utrecht-*, nl-*) that no template, JS file or
   Python module of the site mentions. Such a selector can never match, so this is safe; it removes
   the unused modifiers and the state "simulation" classes (--hover, --focus ...) of the design system;
3. append static/css/theme.css (our WSP tokens) and static/css/site.css (our layout);
4. fold the custom properties (design tokens): a var(--x, fallback) whose --x is set nowhere in the
   whole stylesheet is replaced by its fallback, a var(--x) of a theme token set only on .wsp-theme
   (the <html> element) by its value when that is shorter, and a --x that nothing reads is dropped,
   repeated until nothing changes. The components read long chains of optional tokens (var(--utrecht-textbox-
   border-color, var(--utrecht-form-control-border-color))); the theme sets only some of them. This is
   exact because no HTML style attribute or script sets custom properties (the CSP forbids inline
   styles, and static/js sets none) and every element is inside <html class="wsp-theme">;
5. strip comments and redundant whitespace and write one file with a licence notice on top.

A template that builds a class name from parts should keep a literal prefix that ends in "-" (e.g.
"utrecht-alert--" ~ type): every class with that prefix is kept. Run the build again after adding a
component class to a template. Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
OUTPUT = ROOT / "static" / "dist" / "wsp.css"
OWN_CSS = [ROOT / "static" / "css" / "theme.css", ROOT / "static" / "css" / "site.css"]
# Where component class names may be written: templates, progressive-enhancement JS, Python helpers.
SCAN = [
    (ROOT / "wsp_site", "*.html"),
    (ROOT / "wsp_site", "*.py"),
    (ROOT / "static" / "js", "*.js"),
]
PURGED_PREFIXES = ("utrecht-", "nl-")

# Component stylesheets, in cascade order: generic first, specific later. Unused ones cost nothing:
# the purge removes every rule of a component whose classes appear nowhere in the site.
COMPONENTS = [
    "@utrecht/root-css/dist/index.css",
    "@utrecht/document-css/dist/index.css",
    "@utrecht/page-css/dist/index.css",
    "@utrecht/page-header-css/dist/index.css",
    "@utrecht/page-body-css/dist/index.css",
    "@utrecht/page-content-css/dist/index.css",
    "@utrecht/page-footer-css/dist/index.css",
    "@utrecht/article-css/dist/index.css",
    "@nl-design-system-candidate/skip-link-css/dist/skip-link.css",
    "@utrecht/skip-link-css/dist/index.css",
    "@nl-design-system-candidate/heading-css/dist/heading.css",
    "@utrecht/heading-1-css/dist/index.css",
    "@utrecht/heading-2-css/dist/index.css",
    "@utrecht/heading-3-css/dist/index.css",
    "@utrecht/heading-4-css/dist/index.css",
    "@nl-design-system-candidate/paragraph-css/dist/paragraph.css",
    "@utrecht/paragraph-css/dist/index.css",
    "@nl-design-system-candidate/link-css/dist/link.css",
    "@utrecht/link-css/dist/index.css",
    "@utrecht/unordered-list-css/dist/index.css",
    "@utrecht/ordered-list-css/dist/index.css",
    "@utrecht/link-list-css/dist/index.css",
    "@utrecht/data-list-css/dist/index.css",
    "@nl-design-system-candidate/button-css/dist/button.css",
    "@utrecht/button-css/dist/index.css",
    "@utrecht/button-group-css/dist/index.css",
    "@utrecht/form-field-css/dist/index.css",
    "@utrecht/form-label-css/dist/index.css",
    "@utrecht/form-field-description-css/dist/index.css",
    "@utrecht/form-field-error-message-css/dist/index.css",
    "@utrecht/form-fieldset-css/dist/index.css",
    "@utrecht/textbox-css/dist/index.css",
    "@utrecht/textarea-css/dist/index.css",
    "@utrecht/select-css/dist/index.css",
    "@utrecht/checkbox-css/dist/index.css",
    "@utrecht/radio-button-css/dist/index.css",
    "@utrecht/alert-css/dist/index.css",
    "@utrecht/table-css/dist/index.css",
    "@utrecht/breadcrumb-nav-css/dist/index.css",
    "@utrecht/pagination-css/dist/index.css",
    "@utrecht/data-badge-css/dist/index.css",
    "@utrecht/status-badge-css/dist/index.css",
]
NOTICE = (
    "/*! wsp.css | components: @utrecht/component-library-css and @nl-design-system-candidate/*-css"
    " (EUPL-1.2, Frameless B.V., Gemeente Utrecht, NL Design System) | WSP theme and layout (EUPL-1.2) */"
)
# At-rules whose block holds rules (recursed into); other at-rules with a block are kept as they are.
GROUPING_AT_RULES = {"media", "supports", "layer", "container", "document"}


class BuildError(Exception):
    pass


# ---------------------------------------------------------------- parsing


def strip_comments(css: str) -> str:
    out: list[str] = []
    i, n = 0, len(css)
    while i < n:
        c = css[i]
        if c in "\"'":
            j = _string_end(css, i)
            out.append(css[i:j])
            i = j
        elif css.startswith("/*", i):
            end = css.find("*/", i + 2)
            if end < 0:
                raise BuildError("unterminated comment")
            i = end + 2
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _string_end(css: str, i: int) -> int:
    quote, j = css[i], i + 1
    while j < len(css):
        if css[j] == "\\":
            j += 2
            continue
        if css[j] == quote:
            return j + 1
        j += 1
    raise BuildError("unterminated string")


def _scan_to(css: str, i: int, stops: str) -> int:
    """Index of the first character in stops at nesting depth 0 (outside strings, () and [])."""
    depth = 0
    while i < len(css):
        c = css[i]
        if c in "\"'":
            i = _string_end(css, i)
            continue
        if depth == 0 and c in stops:
            return i
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        i += 1
    return i


def _matching_brace(css: str, i: int) -> int:
    """Index of the '}' that closes the '{' at i."""
    depth, j = 0, i
    while j < len(css):
        c = css[j]
        if c in "\"'":
            j = _string_end(css, j)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise BuildError("unbalanced braces")


@dataclass
class Rule:
    prelude: str
    body: str


@dataclass
class Statement:
    text: str


@dataclass
class Group:
    prelude: str
    children: list = field(default_factory=list)


def parse(css: str) -> list:
    nodes, i = _parse_block(css, 0)
    if i < len(css):
        raise BuildError("unexpected '}'")
    return nodes


def _parse_block(css: str, i: int) -> tuple[list, int]:
    nodes: list = []
    n = len(css)
    while True:
        while i < n and css[i].isspace():
            i += 1
        if i >= n:
            return nodes, i
        if css[i] == "}":
            return nodes, i
        j = _scan_to(css, i, "{;}")
        prelude = css[i:j].strip()
        if j >= n or css[j] == "}":
            if prelude:
                raise BuildError(f"dangling text: {prelude[:60]!r}")
            return nodes, j
        if css[j] == ";":
            nodes.append(Statement(prelude))
            i = j + 1
            continue
        at_name = re.match(r"@([\w-]+)", prelude)
        if at_name and at_name.group(1).lower() in GROUPING_AT_RULES:
            children, k = _parse_block(css, j + 1)
            if k >= n or css[k] != "}":
                raise BuildError(f"unterminated {prelude[:40]!r}")
            nodes.append(Group(prelude, children))
            i = k + 1
        else:
            k = _matching_brace(css, j)
            nodes.append(Rule(prelude, css[j + 1 : k]))
            i = k + 1


# ---------------------------------------------------------------- purging


def split_top_level(text: str, sep: str = ",") -> list[str]:
    parts, start, i = [], 0, 0
    while True:
        j = _scan_to(text, i, sep)
        parts.append(text[start:j])
        if j >= len(text):
            return parts
        start = i = j + 1


_IDENT = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")


def required_classes(selector: str) -> set[str]:
    """Classes an element tree must contain for the selector to match (conservative: under-estimates).

    Classes inside :not(), :nth-*() or a selector list in :is()/:where()/:has() are not required.
    """
    found: set[str] = set()
    i, n = 0, len(selector)
    while i < n:
        c = selector[i]
        if c in "\"'":
            i = _string_end(selector, i)
        elif c == "[":
            i = _scan_to(selector, i + 1, "]") + 1
        elif c == "\\":
            i += 2
        elif c == ".":
            m = _IDENT.match(selector, i + 1)
            if m:
                found.add(m.group(0))
                i = m.end()
            else:
                i += 1
        elif c == ":":
            m = re.compile(r":{1,2}([-\w]+)").match(selector, i)
            if not m:
                i += 1
                continue
            i = m.end()
            if i < n and selector[i] == "(":
                close = _scan_to(selector, i + 1, ")")
                argument = selector[i + 1 : close]
                name = m.group(1).lower()
                if name in {"is", "where", "has", "matches", "-webkit-any"} and len(split_top_level(argument)) == 1:
                    found |= required_classes(argument)
                i = close + 1
        else:
            i += 1
    return found


@dataclass
class UsedClasses:
    names: set[str]
    prefixes: tuple[str, ...]

    def __contains__(self, name: str) -> bool:
        return name in self.names or name.startswith(self.prefixes)


def collect_used_classes() -> UsedClasses:
    token = re.compile(r"(?<![\w-])(?:utrecht|nl)-[\w-]*")
    names: set[str] = set()
    for folder, pattern in SCAN:
        for path in sorted(folder.rglob(pattern)) if folder.exists() else []:
            names.update(token.findall(path.read_text(encoding="utf-8", errors="replace")))
    # A token ending in "-" is the literal start of a class name built from parts.
    prefixes = tuple(sorted(t for t in names if t.endswith("-") and t not in PURGED_PREFIXES))
    return UsedClasses({t for t in names if not t.endswith("-")}, prefixes)


def selector_may_match(selector: str, used: UsedClasses) -> bool:
    return all(name in used for name in required_classes(selector) if name.startswith(PURGED_PREFIXES))


def purge(nodes: list, used: UsedClasses) -> list:
    kept: list = []
    for node in nodes:
        if isinstance(node, Group):
            children = purge(node.children, used)
            if children:
                kept.append(Group(node.prelude, children))
        elif isinstance(node, Rule) and not node.prelude.startswith("@"):
            selectors = [s for s in split_top_level(node.prelude) if selector_may_match(s, used)]
            if selectors:
                kept.append(Rule(",".join(selectors), node.body))
        elif isinstance(node, Statement) and node.text.lower().startswith(("@charset", "@import")):
            continue  # one UTF-8 file without imports
        else:
            kept.append(node)
    return kept


# ---------------------------------------------------------------- folding custom properties


def _rules(nodes: list):
    for node in nodes:
        if isinstance(node, Group):
            yield from _rules(node.children)
        elif isinstance(node, Rule):
            yield node


def _declarations(body: str) -> list[tuple[str, str]] | None:
    """(name, value) pairs of a declaration block; None for a block with nested rules."""
    if "{" in body:
        return None
    pairs = []
    for part in split_top_level(body, ";"):
        name, colon, value = part.partition(":")
        if name.strip() or value.strip():
            pairs.append((name.strip(), value.strip() if colon else None))
    return pairs


_VAR = re.compile(r"var\(", re.IGNORECASE)
_VAR_NAMES = re.compile(r"var\(\s*(--[\w-]+)", re.IGNORECASE)
_CSS_WIDE = {"initial", "inherit", "unset", "revert", "revert-layer"}


def _glues(value: str, start: int, end: int) -> bool:
    """Would text put in place of value[start:end] merge with its neighbours into other tokens?"""
    before = value[start - 1] if start else " "
    after = value[end] if end < len(value) else " "
    return bool(re.match(r"[\w(-]", after) or re.match(r"[\w-]", before))


def _resolve(value: str, is_set, inline) -> tuple[str, bool]:
    """Simplify the var() references in a declaration value.

    var(--x, fallback) becomes fallback when --x is set nowhere; var(--x) becomes the value of a theme
    token when inline(--x) gives one that is no longer than the reference. Returns (text, invalid),
    where invalid means a var() without fallback refers to a property that is set nowhere, so the
    declaration is invalid at computed-value time.
    """
    out: list[str] = []
    invalid = False
    i = 0
    while True:
        m = _VAR.search(value, i)
        if not m:
            out.append(value[i:])
            return "".join(out), invalid
        out.append(value[i : m.start()])
        close = _scan_to(value, m.end(), ")")
        name, comma, fallback = value[m.end() : close].partition(",")
        name = name.strip()
        original = value[m.start() : close + 1]
        constant = inline(name)
        if constant is not None and len(constant) <= len(original) and not _glues(value, m.start(), close + 1):
            out.append(constant)
        elif is_set(name):
            if comma:
                resolved, fallback_invalid = _resolve(fallback, is_set, inline)
                out.append(original if fallback_invalid else f"var({name},{resolved})")
            else:
                out.append(original)
        elif not comma:
            invalid = True
            out.append(original)
        elif _glues(value, m.start(), close + 1):
            out.append(original)
        else:
            resolved, fallback_invalid = _resolve(fallback, is_set, inline)
            out.append(resolved.strip())
            invalid = invalid or fallback_invalid
        i = close + 1


class _ThemeConstants:
    """Custom properties set exactly once, on the theme root (.wsp-theme, the <html> element).

    Every element inherits them from there unchanged, so var(--x) anywhere equals the value computed
    on the root; when that value holds no var() of a property set elsewhere, it can be written in place.
    """

    def __init__(self, top_level: list, rules: list):
        counts: dict[str, int] = {}
        for rule in rules:
            for name in re.findall(r"(--[\w-]+)\s*:", rule.body):
                counts[name] = counts.get(name, 0) + 1
        self.values: dict[str, str] = {}
        for node in top_level:
            if isinstance(node, Rule) and minify_selector(node.prelude) == ".wsp-theme":
                for name, value in _declarations(node.body) or []:
                    constant = value and "!important" not in value.lower()
                    if counts.get(name) == 1 and constant and value.strip().lower() not in _CSS_WIDE:
                        self.values[name] = value
        self._memo: dict[str, str | None] = {}

    def __call__(self, name: str, _stack: tuple = ()) -> str | None:
        if name not in self.values or name in _stack:
            return None
        if name not in self._memo:
            value, parts, i = self.values[name], [], 0
            for m in _VAR.finditer(value):
                if m.start() < i:
                    continue
                close = _scan_to(value, m.end(), ")")
                inner = value[m.end() : close].partition(",")[0].strip()
                expanded = self(inner, (*_stack, name))
                if expanded is None or _glues(value, m.start(), close + 1):
                    self._memo[name] = None
                    return None
                parts.append(value[i : m.start()] + expanded)
                i = close + 1
            self._memo[name] = _squeeze("".join(parts) + value[i:])
        return self._memo[name]


def fold_custom_properties(nodes: list) -> None:
    """Simplify the design-token plumbing in place (see step 4 in the module docstring)."""
    while True:
        rules = [r for r in _rules(nodes) if not r.prelude.startswith("@")]
        inline = _ThemeConstants(nodes, rules)
        parsed = [(r, _declarations(r.body)) for r in rules]
        written: set[str] = set()
        read: set[str] = set()
        for rule, decls in parsed:
            read.update(_VAR_NAMES.findall(rule.body))
            if decls is None:
                written.update(re.findall(r"(--[\w-]+)\s*:", rule.body))
            else:
                # "--x: initial" is the guaranteed-invalid value: a property only ever set to it is unset
                written.update(n for n, v in decls if n.startswith("--") and (v or "").strip().lower() != "initial")
        changed = False
        for rule, decls in parsed:
            if decls is None:
                continue
            new_decls = []
            for name, value in decls:
                if value is None:
                    new_decls.append((name, value))
                    continue
                if name.startswith("--") and name not in read:
                    changed = True
                    continue
                resolved, invalid = _resolve(value, written.__contains__, inline)
                if invalid:
                    important = "!important" if value.rstrip().lower().endswith("important") else ""
                    resolved = ("initial" if name.startswith("--") else "unset") + important
                elif not resolved.strip():
                    resolved = " " if name.startswith("--") else "unset"
                if resolved != value:
                    changed = True
                new_decls.append((name, resolved))
            rule.body = ";".join(n if v is None else f"{n}:{v}" for n, v in new_decls)
        if not changed:
            return


# ---------------------------------------------------------------- serialising


def _squeeze(text: str) -> str:
    """Collapse whitespace outside strings to single spaces."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = _string_end(text, i)
            out.append(text[i:j])
            i = j
        elif c.isspace():
            while i < n and text[i].isspace():
                i += 1
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out).strip()


def minify_selector(selector: str) -> str:
    selector = _squeeze(selector)
    return re.sub(r"\s*([>,])\s*", r"\1", selector) if '"' not in selector and "'" not in selector else selector


def minify_declarations(body: str) -> str:
    if "{" in body:  # nested block (keyframes, nesting): whitespace only
        return _squeeze(body)
    declarations = []
    for part in split_top_level(body, ";"):
        part = _squeeze(part)
        if not part:
            continue
        name, colon, value = part.partition(":")
        if not colon:
            declarations.append(part)
            continue
        value = value.strip()
        if '"' not in value and "'" not in value:
            value = re.sub(r"\s*,\s*", ",", value)
            value = re.sub(r"\(\s+", "(", value)
            value = re.sub(r"\s+\)", ")", value)
            value = re.sub(r"\s+!important", "!important", value)
        declarations.append(f"{name.strip()}:{value or ' '}")
    return ";".join(declarations)


def serialise(nodes: list) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Group):
            inner = serialise(node.children)
            if inner:
                out.append(f"{_squeeze(node.prelude)}{{{inner}}}")
        elif isinstance(node, Rule):
            if not node.body.strip() and not node.prelude.startswith("@"):
                continue  # emptied by the folding
            prelude = _squeeze(node.prelude) if node.prelude.startswith("@") else minify_selector(node.prelude)
            out.append(f"{prelude}{{{minify_declarations(node.body)}}}")
        else:
            out.append(f"{_squeeze(node.text)};")
    return "".join(out)


# ---------------------------------------------------------------- main


def component_path(spec: str) -> Path:
    direct = NODE_MODULES / spec
    if direct.exists():
        return direct
    # npm may nest a dependency of the component library instead of hoisting it
    nested = NODE_MODULES / "@utrecht" / "component-library-css" / "node_modules" / spec
    if nested.exists():
        return nested
    raise BuildError(f"{spec} not found in node_modules: run npm ci first")


def build() -> tuple[str, list[tuple[str, int]], list[str]]:
    if not NODE_MODULES.is_dir():
        raise BuildError("node_modules/ is missing: run npm ci first (in the project root)")
    used = collect_used_classes()
    parts: list[tuple[str, list]] = []
    for spec in COMPONENTS:
        css = component_path(spec).read_text(encoding="utf-8")
        parts.append((spec, purge(parse(strip_comments(css)), used)))
    for path in OWN_CSS:
        if not path.exists():
            raise BuildError(f"{path.relative_to(ROOT)} is missing")
        parts.append((str(path.relative_to(ROOT)), parse(strip_comments(path.read_text(encoding="utf-8")))))
    unset = undefined_tokens("".join(serialise(nodes) for _, nodes in parts))
    everything = [node for _, nodes in parts for node in nodes]
    fold_custom_properties(everything)
    texts = [(name, serialise(nodes)) for name, nodes in parts]
    sizes = [(name, len(text.encode())) for name, text in texts]
    return NOTICE + "\n" + "".join(text for _, text in texts) + "\n", sizes, unset


def undefined_tokens(css: str) -> list[str]:
    """Design tokens (--utrecht-*, --nl-*) the output reads but never sets: a check for the theme."""
    read = set(re.findall(r"var\(\s*(--(?:utrecht|nl)-[\w-]+)", css))
    written = set(re.findall(r"(--(?:utrecht|nl)-[\w-]+)\s*:", css))
    return sorted(read - written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="show the size of every part")
    parser.add_argument(
        "--tokens", action="store_true", help="list the design tokens the components read and nothing sets"
    )
    args = parser.parse_args(argv)
    try:
        css, sizes, unset = build()
    except BuildError as exc:
        print(f"build_assets: {exc}", file=sys.stderr)
        return 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(css, encoding="utf-8")
    if args.verbose:
        for name, size in sizes:
            if size:
                print(f"{size:>8,} B  {name}")
    if args.tokens:
        for name in unset:
            print(f"unset: {name}")
    size = len(css.encode())
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {size:,} bytes ({size / 1024:.1f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
