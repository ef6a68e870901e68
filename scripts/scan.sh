#!/usr/bin/env bash
# npm run scan: checkov (pinned, in a git-ignored virtualenv) over every synthesized stack, in two
# configurations: the defaults, and a full one (alert e-mail, remote state, GitHub CI roles, the monitor stack,
# and every flow-log option that is not the walkthrough's: extended format, Parquet, Hive, per hour).
# Exits non-zero on any failed check. checkov's own downloads are off (.checkov.yaml: skip-download).
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION=3.3.30
VENV=.venv-checkov
if ! "$VENV/bin/checkov" --version 2>/dev/null | grep -qx "$CHECKOV_VERSION"; then
  echo "Installing checkov $CHECKOV_VERSION into $VENV ..."
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi

npm run --silent build
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

status=0
scan() {
  local name=$1; shift
  rm -rf "$out/$name"
  env "$@" CDKTF_OUTDIR="$out/$name" node dist/main.js 2>/dev/null
  echo "--- checkov on $(ls "$out/$name/stacks" | tr '\n' ' ')($name configuration)"
  if ! LOG_LEVEL=ERROR "$VENV/bin/checkov" --config-file .checkov.yaml -d "$out/$name/stacks" -o cli; then
    status=1
  fi
}

scan defaults
scan full LAB_ALERT_EMAIL=ops@example.com LAB_STATE_BUCKET=example-lab-tfstate LAB_GITHUB_REPOSITORY=example/vpc-flow-logs-lab \
  LAB_MONITOR_VPCS=vpc-0a1b2c3d4e5f67890=10.1.0.0/16,vpc-1234abcd=10.2.0.0/16 \
  LAB_FLOW_LOG_FORMAT=extended LAB_FLOW_LOG_FILE_FORMAT=parquet LAB_FLOW_LOG_HIVE_PARTITIONS=true LAB_FLOW_LOG_PER_HOUR=true
skipped=$(grep -E '^\s+- CKV' .checkov.yaml | sed 's/^ *- //' | tr '\n' ' ')
echo "Skipped by .checkov.yaml, with the reasons written there: $skipped"
exit $status
