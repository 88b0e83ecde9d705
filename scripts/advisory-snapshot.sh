#!/usr/bin/env bash
# Puts the RustSec advisory snapshot where `cargo deny --offline` reads it, and
# says how old it is. Usage: scripts/advisory-snapshot.sh SNAPSHOT_DIR DB_PATH
#
# cargo-deny opens its advisory database as a git repository in
# DB_PATH/advisory-db-3157b0e258782691 (the name it derives from the default
# RustSec URL) and never fetches with --offline. The snapshot is a plain folder
# (read-only, no .git), so it is copied there and committed once, the commit dated
# as the snapshot and the repository's HEAD file given the same time, which is what
# cargo-deny measures staleness by (`maximum-db-staleness` in deny.toml). The copy
# is made again only when the snapshot's SNAPSHOT file changes.
set -euo pipefail

snapshot=${1:?snapshot folder}
db_path=${2:?db-path of deny.toml}
repo="$db_path/advisory-db-3157b0e258782691"

if [ ! -f "$snapshot/SNAPSHOT" ] || [ ! -d "$snapshot/crates" ]; then
  echo "no RustSec advisory snapshot at $snapshot (CI clones the repository beside shared/)" >&2
  exit 1
fi

# The commit date the SNAPSHOT file states ("... at commit <sha> (YYYY-MM-DD) ..."),
# else the newest advisory's date.
newest=$(grep -rhoE '^date = "[0-9]{4}-[0-9]{2}-[0-9]{2}"' "$snapshot/crates" "$snapshot/rust" 2>/dev/null |
  grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | sort | tail -1)
taken=$(grep -oE 'commit [0-9a-f]{7,40} \([0-9]{4}-[0-9]{2}-[0-9]{2}\)' "$snapshot/SNAPSHOT" |
  grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | head -1 || true)
commit=$(grep -oE 'commit [0-9a-f]{7,40}' "$snapshot/SNAPSHOT" | head -1 | cut -c8-14 || true)
taken=${taken:-$newest}

if ! cmp -s "$snapshot/SNAPSHOT" "$repo/SNAPSHOT" 2>/dev/null || [ ! -d "$repo/.git" ]; then
  rm -rf "$repo"
  mkdir -p "$db_path"
  cp -r "$snapshot" "$repo"
  chmod -R u+w "$repo"
  (
    cd "$repo"
    git init -q -b main
    git add -A
    GIT_AUTHOR_DATE="${taken}T00:00:00Z" GIT_COMMITTER_DATE="${taken}T00:00:00Z" \
      git -c user.name=annals -c user.email=annals@localhost -c commit.gpgsign=false \
      commit -q -m "RustSec advisory-db snapshot ${commit:-} (${taken})"
    touch -d "${taken}T00:00:00Z" .git/HEAD
  )
fi

age=$(( ($(date -u +%s) - $(date -u -d "$taken" +%s)) / 86400 ))
count=$(find "$repo/crates" -name 'RUSTSEC-*.md' | wc -l)
echo "RustSec advisory snapshot: commit ${commit:-?} of $taken, newest advisory $newest, $count advisories: $age days old"
if [ "$age" -gt 90 ]; then
  echo "warning: the advisory snapshot is over 90 days old; replace $snapshot with a newer copy of github.com/rustsec/advisory-db" >&2
fi
