#!/usr/bin/env bash
# Lints every GitHub Actions workflow in .github/workflows with actionlint (config: .github/actionlint.yaml).
# actionlint is built once from the Go module proxy into a cache outside the repository and reused afterwards.
# actionlint also runs shellcheck on `run:` blocks when shellcheck is on PATH (said below either way).
# Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_VERSION="1.7.12"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/vpc-flow-logs-lab/bin"
actionlint="$bin_dir/actionlint-$ACTIONLINT_VERSION"

if [ ! -x "$actionlint" ]; then
  go_bin="$(command -v go || true)"
  [ -n "$go_bin" ] || go_bin=/usr/local/go/bin/go
  if [ ! -x "$go_bin" ]; then
    echo "validate-workflows: Go is needed to build actionlint $ACTIONLINT_VERSION (not on PATH, not at /usr/local/go/bin/go)" >&2
    exit 2
  fi
  echo "validate-workflows: building actionlint $ACTIONLINT_VERSION into $bin_dir (once)"
  mkdir -p "$bin_dir"
  build_dir="$(mktemp -d)"
  trap 'rm -rf "$build_dir"' EXIT
  # Outside the repository, with no inherited GOFLAGS, so nothing here changes the build.
  (cd "$build_dir" && GOFLAGS="" GOBIN="$build_dir" "$go_bin" install "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION")
  # Rename into place last, so an interrupted build never leaves a half-written binary behind.
  mv "$build_dir/actionlint" "$actionlint"
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then
  echo "validate-workflows: no workflow files in .github/workflows" >&2
  exit 1
fi

if command -v shellcheck >/dev/null 2>&1; then
  echo "validate-workflows: actionlint $ACTIONLINT_VERSION, with shellcheck $(shellcheck --version | sed -n 's/^version: //p') on run: blocks"
else
  echo "validate-workflows: actionlint $ACTIONLINT_VERSION, without shellcheck (not on PATH): run: blocks are not shell-checked"
fi
"$actionlint" -no-color -config-file .github/actionlint.yaml "${workflows[@]}"
echo "validate-workflows: ${#workflows[@]} workflow(s) OK"
