#!/usr/bin/env bash
# Text capture of the real app in a real terminal (tmux), for before/after comparisons.
#   scripts/tmux_capture.sh OUT.txt COLSxROWS "KEYS…" -- tlsdoctor-args…
# KEYS: space-separated tmux key names, "sleep:N" waits N seconds (e.g. "sleep:3 Down Enter sleep:4").
set -euo pipefail
out=$1; size=$2; keys=$3; shift 4
root=$(cd "$(dirname "$0")/.." && pwd)
cols=${size%x*}; rows=${size#*x}
session="tlsdoctor-cap-$$"
tmux new-session -d -s "$session" -x "$cols" -y "$rows" \
  "cd '$root' && TERM=xterm-256color PYTHONPATH='$root/tui' /work/venv/bin/python -m tlsdoctor $* ; sleep 30"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
sleep 2
for k in $keys; do
  case $k in
    sleep:*) sleep "${k#sleep:}" ;;
    *) tmux send-keys -t "$session" "$k"; sleep 0.4 ;;
  esac
done
tmux capture-pane -p -t "$session" > "$out"
