#!/usr/bin/env bash
# npm run cluster:up   → kind cluster "drafty-bird" with the app, Prometheus and Jaeger, game on :8080
# npm run cluster:down → delete it
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTER=drafty-bird
IMAGE="ghcr.io/drafty-bird/drafty-bird:$(node -p "require('./package.json').version")"

case "${1:-}" in
  up)
    kind get clusters | grep -qx "$CLUSTER" || kind create cluster --config kind-config.yaml --name "$CLUSTER"
    docker build -t "$IMAGE" .
    kind load docker-image "$IMAGE" --name "$CLUSTER"
    kubectl apply -f k8s/local/
    kubectl -n drafty-bird rollout status statefulset/drafty-bird --timeout=180s
    kubectl -n drafty-bird rollout status deployment/prometheus --timeout=180s
    kubectl -n drafty-bird rollout status deployment/jaeger --timeout=180s
    echo "Drafty Bird: http://localhost:8080"
    echo "Prometheus:  kubectl -n drafty-bird port-forward svc/prometheus 9090:9090"
    echo "Jaeger:      kubectl -n drafty-bird port-forward svc/jaeger 16686:16686"
    ;;
  down)
    kind delete cluster --name "$CLUSTER"
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
