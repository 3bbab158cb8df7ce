#!/usr/bin/env bash
# Builds knit and runs its main job against the built-in emulator: no cluster needed.
# Creates a service, updates it, splits traffic between two tagged revisions, lists and describes.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked --quiet --bin knit
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

run() {
  printf '\n$ knit %s\n' "$*"
  "$knit" "$@"
}

run service create hello --image ghcr.io/knative/helloworld-go --env TARGET=World
run service update hello --env TARGET=Knit
run service update hello --tag hello-00001=blue --tag hello-00002=green --traffic blue=50,green=50
run service list
run revision list
run route list
run service describe hello
