#!/usr/bin/env bash
# Builds knit and runs its main job against the built-in emulator: no cluster needed.
# Creates a service, updates it, splits traffic between two tagged revisions, lists and describes.
set -euo pipefail
cd "$(dirname "$0")/.."

# A first build takes minutes: cargo's own progress shows it is moving.
echo "Building knit (the first build takes a few minutes)..."
cargo build --locked --bin knit
knit="${CARGO_TARGET_DIR:-$PWD/target}/debug/knit"

work=$(mktemp -d)
export KUBECONFIG="$work/kubeconfig"
"$knit" emulator --write-kubeconfig "$KUBECONFIG" --ready-delay 500ms >"$work/emulator.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null; wait $emulator 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 100); do
  [ -s "$KUBECONFIG" ] && break
  kill -0 "$emulator" 2>/dev/null || { cat "$work/emulator.log"; exit 1; }
  sleep 0.1
done

# Each step says in one line what it shows, then runs.
run() {
  local what=$1
  shift
  printf '\n# %s\n$ knit %s\n' "$what" "$*"
  "$knit" "$@"
}

run "Create a service; knit waits until its first revision is ready." \
  service create hello --image ghcr.io/knative/helloworld-go --env TARGET=World
run "Change its environment: a second revision, which takes all traffic." \
  service update hello --env TARGET=Knit
run "Tag both revisions and split traffic 50/50 between the tags." \
  service update hello --tag hello-00001=blue --tag hello-00002=green --traffic blue=50,green=50
run "List services: the URL, the latest revision, readiness." \
  service list
run "List revisions: each one's share of traffic and its tags." \
  revision list
run "List routes." \
  route list
run "Describe the service: image, revisions with their traffic and tags, conditions." \
  service describe hello
