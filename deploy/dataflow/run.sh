#!/usr/bin/env bash
# Run a batch extraction from the Flex Template built by build.sh (GCS in, GCS out).
#
#   deploy/dataflow/run.sh PROJECT REGION TEMPLATE_GCS_PATH INPUT OUTPUT [extra gcloud flags...]
#
#   INPUT   one or more gs:// patterns separated by commas (gs://b/articles/*.jsonl.gz,gs://b/s/*.txt)
#   OUTPUT  gs:// folder for parquet/ and avro/
# Environment: OVERWRITE=true replaces existing tables; FORMATS=parquet,avro (default);
# MAX_WORKERS (default 10); MACHINE_TYPE (default n2-standard-4); JOB_NAME.
set -euo pipefail

if [[ $# -lt 5 ]]; then
  echo "usage: $0 PROJECT REGION TEMPLATE_GCS_PATH INPUT OUTPUT [extra gcloud flags...]" >&2
  exit 2
fi
PROJECT=$1 REGION=$2 TEMPLATE=$3 INPUT=$4 OUTPUT=$5
shift 5
JOB_NAME=${JOB_NAME:-newsevents-extract-$(date -u +%Y%m%d-%H%M%S)}

# '^~^' makes '~' the separator between parameters, so INPUT may hold commas.
gcloud dataflow flex-template run "${JOB_NAME}" \
  --project "${PROJECT}" \
  --region "${REGION}" \
  --template-file-gcs-location "${TEMPLATE}" \
  --max-workers "${MAX_WORKERS:-10}" \
  --worker-machine-type "${MACHINE_TYPE:-n2-standard-4}" \
  --parameters "^~^input=${INPUT}~output=${OUTPUT}~formats=${FORMATS:-parquet,avro}~overwrite=${OVERWRITE:-false}" \
  "$@"
