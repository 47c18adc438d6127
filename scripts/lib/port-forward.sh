#!/usr/bin/env bash
# Source this file. `keep_forwarding CONTEXT NAMESPACE TARGET PORTS` runs `kubectl port-forward` in the
# background and starts it again whenever it exits — it does when its pod is replaced — until
# `stop_forwarding`. The loop runs with `set +e`: under the caller's `set -e` the first exit of
# port-forward would otherwise end the loop for good.
FORWARDERS=()

keep_forwarding() {
  local context="$1" namespace="$2" target="$3" ports="$4"
  (
    set +e
    while true; do
      kubectl --context "$context" -n "$namespace" port-forward "$target" "$ports" >/dev/null 2>&1
      sleep 1
    done
  ) &
  FORWARDERS+=($!)
}

stop_forwarding() {
  local pid
  for pid in "${FORWARDERS[@]}"; do
    pkill -P "$pid" 2>/dev/null
    kill "$pid" 2>/dev/null || true
  done
  FORWARDERS=()
}
