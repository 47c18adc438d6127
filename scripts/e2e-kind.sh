#!/usr/bin/env bash
# The end-to-end suite against a real kind cluster, in one command — what the e2e-kind workflow runs,
# and what anyone with Docker, kind and kubectl runs to reproduce it:
#   scripts/e2e-kind.sh                      (or: npm run test:e2e:kind) — the single writer (local)
#   PROFILE=local-ha scripts/e2e-kind.sh     — scale-out: Argo Rollouts' canary releases
# Creates or reuses the cluster, builds and loads the image (tagged by content), applies the profile
# with e2e/values.yaml, creates the chaos admin Secret, waits, port-forwards (re-attached whenever a
# pod is replaced), runs the e2e suite (local: all of it, the guarded `npm run release` included;
# local-ha: the release scenarios) and, if it fails, writes diagnostics to e2e-diagnostics/.
set -euo pipefail
cd "$(dirname "$0")/.."
export CLUSTER="${CLUSTER:-drafty-bird}"
export PROFILE="${PROFILE:-local}"
CONTEXT="kind-$CLUSTER"
NAMESPACE=drafty-bird
k() { kubectl --context "$CONTEXT" "$@"; }

VALUES=e2e/values.yaml scripts/cluster.sh up

# The Secret the chart refers to and never contains; the app reads it at start, so roll it.
token="$(openssl rand -hex 24)"
k -n "$NAMESPACE" create secret generic drafty-bird-chaos-admin --from-literal=token="$token" --dry-run=client -o yaml | k apply -f -
if [ "$PROFILE" = local ]; then
  k -n "$NAMESPACE" rollout restart statefulset/drafty-bird
  k -n "$NAMESPACE" rollout status statefulset/drafty-bird --timeout=300s
fi

# kubectl port-forward exits whenever its pod is replaced (the suite deletes and rolls pods).
# shellcheck source=scripts/lib/port-forward.sh
. scripts/lib/port-forward.sh
trap stop_forwarding EXIT
keep_forwarding "$CONTEXT" "$NAMESPACE" svc/drafty-bird 18080:8080
keep_forwarding "$CONTEXT" "$NAMESPACE" svc/prometheus 19090:9090
keep_forwarding "$CONTEXT" "$NAMESPACE" svc/jaeger 16686:16686
keep_forwarding "$CONTEXT" "$NAMESPACE" svc/alertmanager 19093:9093
for url in http://127.0.0.1:18080/readyz http://127.0.0.1:19090/-/ready http://127.0.0.1:16686/ http://127.0.0.1:8080/; do
  timeout 120 bash -c "until curl -fsS -o /dev/null $url; do sleep 1; done" || { echo "e2e-kind: $url never answered" >&2; exit 1; }
done

diagnostics() {
  local dir=e2e-diagnostics
  mkdir -p "$dir"
  k get events -A --sort-by=.lastTimestamp >"$dir/events.txt" 2>&1 || true
  k -n "$NAMESPACE" get all,networkpolicies,pvc -o wide >"$dir/objects.txt" 2>&1 || true
  # Rollouts and their analyses (never Secrets: the artifact is public).
  k -n "$NAMESPACE" get rollouts,analysisruns -o yaml >"$dir/releases.yaml" 2>&1 || true
  k -n "$NAMESPACE" describe pods >"$dir/pods.txt" 2>&1 || true
  for pod in $(k -n "$NAMESPACE" get pods -o name); do
    k -n "$NAMESPACE" logs "$pod" --all-containers --previous >"$dir/$(basename "$pod")-previous.log" 2>/dev/null || true
    k -n "$NAMESPACE" logs "$pod" --all-containers >"$dir/$(basename "$pod").log" 2>&1 || true
  done
  echo "e2e-kind: diagnostics in $dir/" >&2
  tail -n 100 "$dir/pods.txt" >&2 || true
}

# Players through kind's port mapping (the NodePort on the public port), operators through a
# port-forward to the main port: the paths the NetworkPolicies and the exposure give each of them.
# local-ha runs the scale-out release scenarios: the rest of the suite is the single writer's.
suite=()
[ "$PROFILE" = local-ha ] && suite=(e2e/release.e2e.ts)
status=0
BASE_URL=http://127.0.0.1:8080 \
  ADMIN_URL=http://127.0.0.1:18080 \
  PROMETHEUS_URL=http://127.0.0.1:19090 \
  JAEGER_URL=http://127.0.0.1:16686 \
  ALERTMANAGER_URL=http://127.0.0.1:19093 \
  CHAOS_ADMIN_TOKEN="$token" \
  KUBE_CONTEXT="$CONTEXT" \
  npm run test:e2e -- "${suite[@]}" || status=$?
[ "$status" -eq 0 ] || diagnostics
exit "$status"
