#!/usr/bin/env bash
# npm run cluster:up   → kind cluster with the app, Prometheus, Alertmanager and Jaeger; the game on http://localhost:8080
# npm run cluster:down → delete it
# Every kubectl call names the kind cluster's context: whatever context is current (a production
# cluster, say) is never touched. Each `up` builds the image, tags it by content and rolls the
# StatefulSet to that tag, so re-running after a code change deploys the change.
# Environment: CLUSTER (default drafty-bird), PROFILE (local: SQLite, one replica — the default;
# local-ha: PostgreSQL in the namespace and 2+ replicas across the zones), VALUES (a values file, optional).
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTER="${CLUSTER:-drafty-bird}"
CONTEXT="kind-$CLUSTER"
NAMESPACE=drafty-bird
KIND_VERSION=v0.33.0 # the release whose node image kind-config.yaml pins
REPOSITORY=ghcr.io/drafty-bird/drafty-bird
PROFILE="${PROFILE:-local}"
# local-ha's release gates are an Argo Rollouts AnalysisTemplate: the controller and its CRDs come from
# this release's own manifest (never vendored).
ARGO_ROLLOUTS_VERSION=v1.8.3
case "$PROFILE" in
  local) WORKLOADS=(statefulset/drafty-bird) ;;
  local-ha) WORKLOADS=(statefulset/drafty-bird-postgres rollout/drafty-bird) ;;
  *) echo "cluster: PROFILE must be local or local-ha (got $PROFILE)" >&2; exit 2 ;;
esac

require_tools() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "cluster: missing ${missing[*]}: install Docker (https://docs.docker.com/get-docker/), kind $KIND_VERSION (go install sigs.k8s.io/kind@$KIND_VERSION) and kubectl (https://kubernetes.io/docs/tasks/tools/), then re-run" >&2
    exit 1
  fi
}

k() { kubectl --context "$CONTEXT" "$@"; }

up() {
  require_tools docker kind kubectl node
  kind version | grep -q "$KIND_VERSION" || echo "cluster: kind $(kind version | awk '{print $2}') is not $KIND_VERSION, whose node image kind-config.yaml pins" >&2
  kind get clusters 2>/dev/null | grep -qx "$CLUSTER" || kind create cluster --config kind-config.yaml --name "$CLUSTER" --wait 120s

  # Tag by content: the image id changes whenever the build's inputs do, so the StatefulSet rolls.
  local id tag
  id="$(docker build -q --build-arg "GIT_COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)" .)"
  tag="dev-$(cut -c8-19 <<<"$id")"
  docker tag "$id" "$REPOSITORY:$tag"
  kind load docker-image "$REPOSITORY:$tag" --name "$CLUSTER"

  local values=()
  [ -n "${VALUES:-}" ] && values=(-f "$VALUES")
  if [ "$PROFILE" = local-ha ]; then
    argo_rollouts
    database_secrets
  fi
  npm run --silent synth -- --env "$PROFILE" "${values[@]}" --set "image.tag=$tag" --out - | k apply -f -
  for workload in "${WORKLOADS[@]}"; do
    # kubectl's rollout status knows only built-in kinds; an Argo Rollout reports Available itself.
    case "$workload" in
      rollout/*) k -n "$NAMESPACE" wait --for=condition=Available "$workload" --timeout=300s ;;
      *) k -n "$NAMESPACE" rollout status "$workload" --timeout=300s ;;
    esac
  done
  k -n "$NAMESPACE" rollout status deployment/prometheus --timeout=300s
  k -n "$NAMESPACE" rollout status deployment/jaeger --timeout=300s
  k -n "$NAMESPACE" rollout status deployment/alertmanager --timeout=300s
  k -n "$NAMESPACE" rollout status deployment/grafana --timeout=300s
  echo "Drafty Bird ($REPOSITORY:$tag): http://localhost:8080"
  echo "Prometheus:  kubectl --context $CONTEXT -n $NAMESPACE port-forward svc/prometheus 9090:9090"
  echo "Jaeger:      kubectl --context $CONTEXT -n $NAMESPACE port-forward svc/jaeger 16686:16686"
  echo "Alertmanager: kubectl --context $CONTEXT -n $NAMESPACE port-forward svc/alertmanager 9093:9093"
  echo "Grafana:     kubectl --context $CONTEXT -n $NAMESPACE port-forward svc/grafana 3000:3000"
}

argo_rollouts() {
  k get namespace argo-rollouts >/dev/null 2>&1 || k create namespace argo-rollouts
  k apply -n argo-rollouts -f "https://github.com/argoproj/argo-rollouts/releases/download/$ARGO_ROLLOUTS_VERSION/install.yaml"
  k -n argo-rollouts rollout status deployment/argo-rollouts --timeout=300s
}

# The Secrets the local-ha manifests refer to and never contain: the server's password and the app's
# DATABASE_URL with the same password. Created once: the database keeps the password it was initialised with.
database_secrets() {
  k get namespace "$NAMESPACE" >/dev/null 2>&1 || k create namespace "$NAMESPACE"
  k -n "$NAMESPACE" get secret drafty-bird-postgres >/dev/null 2>&1 && return 0
  local password
  password="$(openssl rand -hex 24)"
  k -n "$NAMESPACE" create secret generic drafty-bird-postgres --from-literal=password="$password"
  k -n "$NAMESPACE" create secret generic drafty-bird-database --from-literal=url="$(node --experimental-strip-types scripts/database-url.ts <<<"$password")"
}

case "${1:-}" in
  up) up ;;
  down)
    require_tools kind
    kind delete cluster --name "$CLUSTER"
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
