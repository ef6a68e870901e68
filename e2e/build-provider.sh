#!/usr/bin/env bash
# Build the HashiCorp AWS Terraform provider from the Go module proxy and install
# it into a Terraform filesystem mirror OUTSIDE the repository, so that
# `terraform init` works with no network (see e2e/terraformrc.sh).
#
# Idempotent: if the binary is already in the cache, prints its path and exits 0.
# Prints the binary path as the last line of stdout on success.
#
# Source pinning (read this):
#   The module path github.com/hashicorp/terraform-provider-aws has no /v6, so
#   its v6.x tags are not Go module versions; it can only be fetched by
#   pseudo-version. The Go module proxy reachable from this workplace serves
#   exactly two versions of it (`.../@v/list`): v1.60.0 (ancient) and
#   v1.60.1-0.20260602190131-5f2286d6d836. Every other revision (v6.25.0, tag
#   and branch queries, commit hashes, other valid pseudo-versions) is refused
#   with "403 This module version is not available". So the only usable source
#   is commit 5f2286d6d836 (2026-06-02, version/VERSION = 6.47.1,
#   CHANGELOG head "6.48.0 (Unreleased)"), i.e. NEWER than 6.25.0 within the
#   same major version v6. It is installed in the mirror under the version the
#   project pins (AWS_PROVIDER_MIRROR_VERSION, default 6.25.0) so that
#   `version = "6.25.0"` resolves offline. build-info.json records the truth.
#
# Env knobs:
#   LAB_CACHE_DIR                 cache root (default ~/.cache/vpc-flow-logs-lab)
#   AWS_PROVIDER_MIRROR_VERSION   version directory/filename Terraform sees (default 6.25.0)
#   AWS_PROVIDER_MODULE_VERSION   Go pseudo-version to build
#   AWS_PROVIDER_LDFLAGS_VERSION  value baked into version.ProviderVersion
#                                 (default: honest upstream label, e.g. 6.47.1-dev+5f2286d6d836)
#   AWS_PROVIDER_BUILD            lab (default): only the service packages in AWS_PROVIDER_SERVICES are
#                                 registered (e2e/trim_provider.py), so Go compiles ~75 AWS SDK packages
#                                 instead of ~860; full: the provider as released, every service
#   AWS_PROVIDER_SERVICES         service packages of the lab build (default: the ones the stacks use)
#   GO                            go binary (default: go on PATH, else /usr/local/go/bin/go)
#
# What the lab build differs in (build-info.json says which build is installed): only the listed
# services' resources and data sources exist in the binary; any other resource type is refused by
# Terraform ("resource type not supported"). Everything the listed services do is the released code.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"
MODULE="github.com/hashicorp/terraform-provider-aws"
MIRROR_VERSION="${AWS_PROVIDER_MIRROR_VERSION:-6.25.0}"
MODULE_VERSION="${AWS_PROVIDER_MODULE_VERSION:-v1.60.1-0.20260602190131-5f2286d6d836}"
CACHE_DIR="${LAB_CACHE_DIR:-$HOME/.cache/vpc-flow-logs-lab}"
MIRROR_DIR="$CACHE_DIR/providers"
BUILD="${AWS_PROVIDER_BUILD:-lab}"
SERVICES="${AWS_PROVIDER_SERVICES:-athena cloudwatch ec2 glue iam kms logs meta s3 sns ssm sts}"
[[ "$BUILD" == lab || "$BUILD" == full ]] || { echo "AWS_PROVIDER_BUILD must be lab or full, got $BUILD" >&2; exit 2; }
[[ "$BUILD" == full ]] && SERVICES="all"

if [[ -z "${GO:-}" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)"; else GO=/usr/local/go/bin/go; fi
fi

PLATFORM="linux_amd64"
if [[ -x "$GO" ]]; then PLATFORM="$("$GO" env GOOS)_$("$GO" env GOARCH)"; fi
DEST_DIR="$MIRROR_DIR/registry.terraform.io/hashicorp/aws/$MIRROR_VERSION/$PLATFORM"
BIN="$DEST_DIR/terraform-provider-aws_v$MIRROR_VERSION"
INFO="$MIRROR_DIR/build-info.json"

log() { echo "[build-provider] $*" >&2; }

# The installed binary serves if it was built with the same services (build-info.json says so).
installed() {
  [[ -x "$BIN" && -f "$INFO" ]] && grep -q "\"services\": \"$SERVICES\"" "$INFO"
}
if installed; then
  echo "$BIN"
  exit 0
fi

[[ -x "$GO" ]] || { log "go not found (set GO=/path/to/go)"; exit 1; }

mkdir -p "$MIRROR_DIR"
# One build at a time per machine; a second caller waits, then finds the binary.
exec 9>"$MIRROR_DIR/.build.lock"
if command -v flock >/dev/null 2>&1; then
  log "waiting for build lock $MIRROR_DIR/.build.lock"
  flock 9
  if installed; then echo "$BIN"; exit 0; fi
fi

# Default GOPATH/GOMODCACHE (~/go) so the module download is cached per machine.
export GOWORK=off GOFLAGS="${GOFLAGS:-}" CGO_ENABLED=0
export GOPROXY="${GOPROXY:-https://proxy.golang.org,direct}"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/build-tf-aws.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"

log "downloading $MODULE@$MODULE_VERSION (cached in $("$GO" env GOMODCACHE))"
SRC_DIR="$("$GO" mod download -json "$MODULE@$MODULE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[[ -n "$SRC_DIR" && -d "$SRC_DIR" ]] || { log "go mod download did not yield a source dir"; exit 1; }
if grep -q '^[[:space:]]*replace' "$SRC_DIR/go.mod"; then
  log "WARNING: $MODULE go.mod has replace directives; go install pkg@version will refuse it"
fi
UPSTREAM_VERSION="$(tr -d '[:space:]' <"$SRC_DIR/version/VERSION" 2>/dev/null || echo unknown)"
CHANGELOG_HEAD="$(head -n1 "$SRC_DIR/CHANGELOG.md" 2>/dev/null | sed 's/^## //; s/"/\\"/g' || true)"
COMMIT="${MODULE_VERSION##*-}"
LDFLAGS_VERSION="${AWS_PROVIDER_LDFLAGS_VERSION:-${UPSTREAM_VERSION}-dev+${COMMIT}}"
log "source: $SRC_DIR (version/VERSION=$UPSTREAM_VERSION, CHANGELOG head: $CHANGELOG_HEAD)"

LDFLAGS="-s -w -X $MODULE/version.ProviderVersion=$LDFLAGS_VERSION"
if [[ "$BUILD" == full ]]; then
  BUILD_CMD=(nice -n 10 env CGO_ENABLED=0 GOBIN="$TMP/bin" "$GO" install -trimpath -ldflags="$LDFLAGS" "$MODULE@$MODULE_VERSION")
else
  # A writable copy of the source without docs and tests, trimmed to the lab's services.
  mkdir -p "$TMP/src" "$TMP/bin"
  (cd "$SRC_DIR" && tar --exclude=./website --exclude=./docs --exclude=./examples --exclude='*_test.go' -cf - .) |
    tar -C "$TMP/src" -xf -
  chmod -R u+w "$TMP/src"
  PYTHON="${LAB_PYTHON:-python3}"
  # shellcheck disable=SC2086 # SERVICES is a list of words
  (cd "$TMP/src" && GOFLAGS=-mod=mod GO="$GO" "$PYTHON" "$SCRIPT_DIR/trim_provider.py" . $SERVICES) >&2
  BUILD_CMD=(nice -n 10 env CGO_ENABLED=0 GOFLAGS=-mod=mod "$GO" -C "$TMP/src" build -trimpath -ldflags="$LDFLAGS" -o "$TMP/bin/terraform-provider-aws" .)
fi

TIME_CMD=()
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
  TIME_CMD=(/usr/bin/time -v -o "$TMP/time.txt")
else
  log "/usr/bin/time -v unavailable (apt-get install time); peak RSS will not be recorded"
fi

log "building: ${BUILD_CMD[*]}"
START=$(date +%s)
"${TIME_CMD[@]}" "${BUILD_CMD[@]}"
END=$(date +%s)
WALL=$((END - START))

[[ -x "$TMP/bin/terraform-provider-aws" ]] || { log "build produced no binary"; exit 1; }
mkdir -p "$DEST_DIR"
install -m 0755 "$TMP/bin/terraform-provider-aws" "$BIN.tmp"
mv -f "$BIN.tmp" "$BIN"

PEAK_RSS_KB=null
if [[ -f "$TMP/time.txt" ]]; then
  PEAK_RSS_KB="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$TMP/time.txt")"
  PEAK_RSS_KB="${PEAK_RSS_KB:-null}"
  cp "$TMP/time.txt" "$MIRROR_DIR/build-time.txt"
fi
SIZE="$(stat -c %s "$BIN")"
SHA256="$(sha256sum "$BIN" | cut -d' ' -f1)"
GOVER="$("$GO" env GOVERSION)"

cat >"$INFO.tmp" <<EOF
{
  "terraform_address": "registry.terraform.io/hashicorp/aws",
  "mirror_version": "$MIRROR_VERSION",
  "binary": "$BIN",
  "go_module": "$MODULE",
  "go_module_version": "$MODULE_VERSION",
  "source_commit": "$COMMIT",
  "source_version_file": "$UPSTREAM_VERSION",
  "source_changelog_head": "$CHANGELOG_HEAD",
  "ldflags_provider_version": "$LDFLAGS_VERSION",
  "note": "the Go proxy serves no v6.25.0 revision of this module; built from the only v6 revision it serves and installed under mirror_version",
  "build": "$BUILD",
  "services": "$SERVICES",
  "build_note": "lab: only the listed service packages are registered (e2e/trim_provider.py); any other resource type is unknown to this binary. full: every service, as released",
  "go_version": "$GOVER",
  "build_command": "$(printf '%s ' "${BUILD_CMD[@]}" | sed 's/"/\\"/g; s|'"$TMP"'|<tmp>|g')",
  "build_wall_seconds": $WALL,
  "build_peak_rss_kb": $PEAK_RSS_KB,
  "build_peak_rss_note": "GNU time maxrss: largest single process of the build (compile/link), not the sum",
  "binary_bytes": $SIZE,
  "binary_sha256": "$SHA256",
  "built_at": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "nproc": $(nproc)
}
EOF
mv -f "$INFO.tmp" "$INFO"
log "built in ${WALL}s, peak RSS ${PEAK_RSS_KB} kB, ${SIZE} bytes; info: $INFO"
echo "$BIN"
