// Build wsp_site/static/dist/wsp.css with Lightning CSS: NL Design System component CSS from node_modules, then our
// theme and layout, purged of unused component classes, with the design-token plumbing folded, minified.
//
//   npm run build                 (node scripts/build-css.mjs; from anywhere, after `npm ci`)
//   npm run build -- --tokens     also list the component tokens (--utrecht-*, --nl-*) read but set nowhere
//   npm run build -- --out FILE   write FILE instead (the tests build into a scratch folder)
//
// Lightning CSS parses and prints; this script only edits its syntax tree (a StyleSheet visitor):
// 1. COMPONENTS, in cascade order (generic first), then wsp_site/static/css/theme.css and site.css;
// 2. purge: a selector that needs a component class (utrecht-*, nl-*) that no template (*.html), Python module
//    or static/js file mentions can never match and is dropped; a rule without selectors goes, and so does an
//    @media/@supports block left empty. A class is "needed" when it is part of the compound selectors
//    themselves or of a one-selector :is()/:where()/:has(); classes inside :not() or a selector list are not
//    (so `.nl-button:not(:has(>:where(.nl-button__icon-start,...)))` stays). A template that builds a class
//    name from parts keeps a literal prefix that ends in "-" (e.g. "utrecht-alert--" ~ type): every class
//    with that prefix is kept;
// 3. fold the custom properties: var(--x, fallback) whose --x is set nowhere becomes the fallback; var(--x) of
//    a token set once, on .wsp-theme (the <html> element), becomes its value when that prints no longer; a
//    declaration left with a var() of nothing becomes unset (`initial` for a custom property); a custom
//    property that nothing reads is dropped; repeated until nothing changes. This is exact because no HTML
//    style attribute or script sets custom properties (the CSP forbids inline styles, static/js sets none)
//    and every element is inside <html class="wsp-theme">;
// 4. minify (Lightning CSS, no browser targets: nothing is prefixed or lowered), and once more after the
//    folding so that declarations without var() are parsed and merged; the licence notice goes on top.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "lightningcss";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NODE_MODULES = path.join(ROOT, "node_modules");
const STATIC = path.join(ROOT, "wsp_site", "static");
const OUTPUT = path.join(STATIC, "dist", "wsp.css");
const OWN_CSS = [path.join(STATIC, "css", "theme.css"), path.join(STATIC, "css", "site.css")];
// Where component class names may be written: templates, Python helpers, progressive-enhancement JS.
const SCAN = [
  [path.join(ROOT, "wsp_site"), [".html", ".py"]],
  [path.join(STATIC, "js"), [".js"]],
];
const PURGED = /^(?:utrecht|nl)-/;
const CLASS_TOKEN = /(?<![\w-])(?:utrecht|nl)-[\w-]*/g;
const THEME_ROOT = "wsp-theme";

// Component stylesheets, in cascade order: generic first, specific later. Unused ones cost nothing: the
// purge removes every rule of a component whose classes appear nowhere in the site.
const COMPONENTS = [
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
  "@utrecht/nav-bar-css/dist/index.css",
  "@utrecht/nav-list-css/dist/index.css",
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
  "@utrecht/badge-counter-css/dist/index.css",
];
const NOTICE =
  "/*! wsp.css | components: @utrecht/component-library-css and @nl-design-system-candidate/*-css" +
  " (EUPL-1.2, Frameless B.V., Gemeente Utrecht, NL Design System) | WSP theme and layout (EUPL-1.2) */";

class BuildError extends Error {}

// ---------------------------------------------------------------- inputs

function componentPath(spec) {
  // npm may nest a dependency of the component library instead of hoisting it
  for (const base of [NODE_MODULES, path.join(NODE_MODULES, "@utrecht", "component-library-css", "node_modules")]) {
    const file = path.join(base, spec);
    if (fs.existsSync(file)) return file;
  }
  throw new BuildError(`${spec} not found in node_modules: run npm ci first`);
}

function usedClasses() {
  const names = new Set();
  for (const [folder, extensions] of SCAN) {
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder, { recursive: true })) {
      if (!extensions.includes(path.extname(file))) continue;
      for (const token of fs.readFileSync(path.join(folder, file), "utf8").match(CLASS_TOKEN) ?? []) names.add(token);
    }
  }
  // A token ending in "-" is the literal start of a class name built from parts.
  const prefixes = [...names].filter((t) => t.endsWith("-") && t !== "utrecht-" && t !== "nl-");
  return (name) => names.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

// ---------------------------------------------------------------- purging

function requiredClasses(selector, found = new Set()) {
  for (const part of selector) {
    if (part.type === "class") found.add(part.name);
    else if (part.type === "pseudo-class" && ["is", "where", "has", "any"].includes(part.kind)) {
      if (part.selectors?.length === 1) requiredClasses(part.selectors[0], found);
    }
  }
  return found;
}

function purge(rules, isUsed) {
  const mayMatch = (selector) => [...requiredClasses(selector)].every((name) => !PURGED.test(name) || isUsed(name));
  return rules.flatMap((rule) => {
    if (rule.type === "import") return []; // one file without imports
    if (rule.type === "style") {
      rule.value.selectors = rule.value.selectors.filter(mayMatch);
      if (!rule.value.selectors.length) return [];
      rule.value.rules = purge(rule.value.rules ?? [], isUsed);
      return [rule];
    }
    if (Array.isArray(rule.value?.rules)) {
      // @media, @supports, @layer, @container ...: kept while they hold a rule
      rule.value.rules = purge(rule.value.rules, isUsed);
      return rule.value.rules.length ? [rule] : [];
    }
    return [rule];
  });
}

// ---------------------------------------------------------------- folding custom properties

const CSS_WIDE = new Set(["initial", "inherit", "unset", "revert", "revert-layer"]);
const ident = (value) => ({ type: "token", value: { type: "ident", value } });
const isWhitespace = (t) => t?.type === "token" && t.value.type === "white-space";
const trim = (list) => {
  let [start, end] = [0, list.length];
  while (start < end && isWhitespace(list[start])) start++;
  while (end > start && isWhitespace(list[end - 1])) end--;
  return list.slice(start, end);
};
const singleIdent = (list) => {
  const t = trim(list);
  return t.length === 1 && t[0].type === "token" && t[0].value.type === "ident" ? t[0].value.value.toLowerCase() : null;
};

// Would tokens put in place of list[i] run into their neighbours when printed (e.g. `-` + `1px`)?
function glues(list, i) {
  const safe = (t) =>
    t === undefined ||
    isWhitespace(t) ||
    (t.type === "token" && (t.value.type === "comma" || (t.value.type === "delim" && "*/".includes(t.value.value))));
  return !safe(list[i - 1]) || !safe(list[i + 1]);
}

// Every object of the tree, depth first (for what is read and set anywhere, keyframes included).
function* walk(node) {
  if (Array.isArray(node)) for (const item of node) yield* walk(item);
  else if (node && typeof node === "object") {
    yield node;
    for (const value of Object.values(node)) if (value && typeof value === "object") yield* walk(value);
  }
}

function* styleRules(rules) {
  for (const rule of rules) {
    if (rule.type === "style") yield rule;
    const nested = rule.type === "style" ? rule.value.rules : rule.value?.rules;
    if (Array.isArray(nested)) yield* styleRules(nested);
  }
}

function* declarationLists(rule) {
  const block = rule.value.declarations ?? {};
  if (block.declarations) yield block.declarations;
  if (block.importantDeclarations) yield block.importantDeclarations;
}

// A visitor that edits the whole syntax tree in JavaScript. Two work-arounds for Lightning CSS 1.33 reading
// back its own tree: it rejects `null` where it wrote one (absent is fine), and it loses whether a percentage
// token was an integer (100% would print as 100.0%), so percentages are handed back as text.
function sheetVisitor(edit) {
  return {
    StyleSheet(sheet) {
      edit(sheet);
      for (const node of walk(sheet)) for (const [key, value] of Object.entries(node)) if (value === null) delete node[key];
      return sheet;
    },
    Token: { percentage: (token) => ({ raw: `${Number((token.value * 100).toPrecision(6))}%` }) },
  };
}

// Lightning CSS keeps a property it does not know (content, break-inside ...) as "custom" too, without the "--".
const isCustomProperty = (decl) => decl?.property === "custom" && decl.value.name.startsWith("--");
const tokensOf = (decl) => (decl.property === "custom" || decl.property === "unparsed" ? decl.value.value : null);

// The minified text length of each token list, printed by Lightning CSS itself.
function printedLengths(lists) {
  if (!lists.length) return [];
  const code = `a{${lists.map((_, i) => `--v${i}:0`).join(";")}}`;
  const { code: out } = transform({
    filename: "lengths.css",
    code: Buffer.from(code),
    minify: true,
    visitor: sheetVisitor((sheet) => {
      sheet.rules[0].value.declarations.declarations.forEach((decl, i) => (decl.value.value = lists[i]));
    }),
  });
  const text = out.toString();
  const body = text.slice(text.indexOf("{") + 1, text.lastIndexOf("}"));
  const lengths = [];
  for (const part of body.split(/;?--v(?=\d+:)/).slice(1)) {
    const colon = part.indexOf(":");
    lengths[Number(part.slice(0, colon))] = part.length - colon - 1;
  }
  return lengths;
}

// Custom properties set exactly once, on the theme root: every element inherits them unchanged, so var(--x)
// anywhere equals that value when it holds no var() of a property set elsewhere.
function themeConstants(sheet, setCounts) {
  const values = new Map();
  for (const rule of sheet.rules) {
    const selectors = rule.type === "style" ? rule.value.selectors : [];
    if (selectors.length !== 1 || selectors[0].length !== 1) continue;
    if (selectors[0][0].type !== "class" || selectors[0][0].name !== THEME_ROOT) continue;
    for (const decl of rule.value.declarations.declarations ?? []) {
      if (!isCustomProperty(decl) || setCounts.get(decl.value.name) !== 1) continue;
      if (!CSS_WIDE.has(singleIdent(decl.value.value))) values.set(decl.value.name, decl.value.value);
    }
  }
  const memo = new Map();
  const expand = (name, stack) => {
    if (!values.has(name) || stack.includes(name)) return null;
    if (!memo.has(name)) memo.set(name, expandList(values.get(name), [...stack, name]));
    return memo.get(name);
  };
  const expandList = (list, stack) => {
    const out = [];
    for (const [i, t] of list.entries()) {
      if (t.type === "var") {
        const inner = glues(list, i) ? null : expand(t.value.name.ident, stack);
        if (inner === null) return null;
        out.push(...inner);
      } else if (t.type === "function") {
        const args = expandList(t.value.arguments, stack);
        if (args === null) return null;
        out.push({ ...t, value: { ...t.value, arguments: args } });
      } else if ([...walk(t)].some((n) => n.type === "var")) {
        return null; // a var() somewhere this does not look into
      } else out.push(t);
    }
    return trim(out);
  };
  // Inline a constant only where it prints no longer than the var() it replaces.
  const names = [...values.keys()];
  const expanded = names.map((name) => expand(name, []));
  const candidates = names.filter((_, i) => expanded[i] !== null);
  const lengths = printedLengths(candidates.map((name) => expand(name, [])));
  const inline = new Map();
  candidates.forEach((name, i) => {
    if (lengths[i] !== undefined && lengths[i] <= `var(${name})`.length) inline.set(name, expand(name, []));
  });
  return inline;
}

function resolveList(list, isSet, inline) {
  let invalid = false;
  const out = [];
  for (const [i, t] of list.entries()) {
    if (t.type === "function") {
      const inner = resolveList(t.value.arguments, isSet, inline);
      invalid ||= inner.invalid;
      out.push({ ...t, value: { ...t.value, arguments: inner.tokens } });
      continue;
    }
    if (t.type !== "var") {
      out.push(t);
      continue;
    }
    const name = t.value.name.ident;
    const fallback = t.value.fallback;
    const glued = glues(list, i);
    if (!glued && inline.has(name)) out.push(...inline.get(name));
    else if (isSet(name)) {
      const inner = fallback ? resolveList(fallback, isSet, inline) : null;
      out.push(inner && !inner.invalid ? { ...t, value: { ...t.value, fallback: inner.tokens } } : t);
    } else if (!fallback) {
      invalid = true; // invalid at computed-value time
      out.push(t);
    } else if (glued) out.push(t);
    else {
      const inner = resolveList(trim(fallback), isSet, inline);
      invalid ||= inner.invalid;
      out.push(...inner.tokens);
    }
  }
  return { tokens: out, invalid };
}

function foldCustomProperties(sheet) {
  for (;;) {
    const read = new Set();
    const setCounts = new Map();
    for (const node of walk(sheet.rules)) {
      if (node.type === "var") read.add(node.value.name.ident);
      if (node.type === "property" && node.value?.name) setCounts.set(node.value.name, 2); // @property: registered
      // "--x: initial" is the guaranteed-invalid value: a property only ever set to it is unset
      if (isCustomProperty(node) && singleIdent(node.value.value) !== "initial") {
        setCounts.set(node.value.name, (setCounts.get(node.value.name) ?? 0) + 1);
      }
    }
    const isSet = (name) => setCounts.has(name);
    const inline = themeConstants(sheet, setCounts);
    let changed = false;
    for (const rule of styleRules(sheet.rules)) {
      for (const list of declarationLists(rule)) {
        const kept = [];
        for (const decl of list) {
          const tokens = tokensOf(decl);
          const custom = isCustomProperty(decl);
          if (custom && !read.has(decl.value.name)) {
            changed = true;
            continue;
          }
          if (tokens) {
            let { tokens: resolved, invalid } = resolveList(tokens, isSet, inline);
            if (invalid) resolved = [ident(custom ? "initial" : "unset")];
            else if (!trim(resolved).length && !custom) resolved = [ident("unset")];
            if (JSON.stringify(resolved) !== JSON.stringify(tokens)) {
              decl.value.value = resolved;
              changed = true;
            }
          }
          kept.push(decl);
        }
        list.splice(0, list.length, ...kept);
      }
    }
    if (!changed) return;
  }
}

// Component tokens (--utrecht-*, --nl-*) read but set nowhere: a check list for the theme.
function unsetTokens(sheet) {
  const read = new Set();
  const set = new Set();
  for (const node of walk(sheet.rules)) {
    if (node.type === "var") read.add(node.value.name.ident);
    if (isCustomProperty(node)) set.add(node.value.name);
  }
  return [...read].filter((name) => /^--(?:utrecht|nl)-/.test(name) && !set.has(name)).sort();
}

// ---------------------------------------------------------------- main

function build() {
  if (!fs.existsSync(NODE_MODULES)) throw new BuildError("node_modules/ is missing: run npm ci first (in the project root)");
  for (const file of OWN_CSS) if (!fs.existsSync(file)) throw new BuildError(`${path.relative(ROOT, file)} is missing`);
  const sources = [...COMPONENTS.map(componentPath), ...OWN_CSS];
  // The components and our own CSS are one stylesheet (cascade order as listed); purged are only component
  // classes, so our own rules (wsp-*) are never dropped.
  const code = sources.map((file) => fs.readFileSync(file, "utf8")).join("\n");
  const isUsed = usedClasses();
  let unset = [];
  const first = transform({
    filename: "wsp.css",
    code: Buffer.from(code),
    minify: true,
    visitor: sheetVisitor((sheet) => {
      sheet.rules = purge(sheet.rules, isUsed);
      unset = unsetTokens(sheet);
      foldCustomProperties(sheet);
    }),
  });
  const second = transform({ filename: "wsp.css", code: first.code, minify: true });
  const warnings = [...first.warnings, ...second.warnings].map((w) => w.message);
  return { css: `${NOTICE}\n${second.code.toString()}\n`, unset, warnings };
}

function main(argv) {
  let result;
  try {
    result = build();
  } catch (error) {
    console.error(`build-css: ${error instanceof BuildError ? error.message : error.stack ?? error}`);
    return 1;
  }
  for (const warning of result.warnings) console.error(`build-css: warning: ${warning}`);
  const out = argv.includes("--out") ? path.resolve(argv[argv.indexOf("--out") + 1]) : OUTPUT;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, result.css);
  if (argv.includes("--tokens")) for (const name of result.unset) console.log(`unset: ${name}`);
  const size = Buffer.byteLength(result.css);
  const shown = out.startsWith(ROOT + path.sep) ? path.relative(ROOT, out) : out;
  console.log(`wrote ${shown}: ${size.toLocaleString("en")} bytes (${(size / 1024).toFixed(1)} KiB)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
