#!/usr/bin/env bash
# Build the newsevents image (Flex Template launcher + Beam SDK worker) and the template spec.
#
#   deploy/dataflow/build.sh PROJECT REGION BUCKET [TAG]
#
# Needs gcloud (authenticated), an Artifact Registry Docker repository named
# $REPOSITORY (default: newsevents) in REGION, and a bucket for the template spec.
# With LOCAL_DOCKER=1 the image is built with the local docker engine and pushed,
# instead of Cloud Build.
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 PROJECT REGION BUCKET [TAG]" >&2
  exit 2
fi
PROJECT=$1
REGION=$2
BUCKET=${3#gs://}
# default tag: the commit, else newsevents' version (never "latest": tags name one build)
TAG=${4:-$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null \
           || sed -n 's/^version = "\(.*\)"$/\1/p' "$(dirname "$0")/../../pyproject.toml")}
REPOSITORY=${REPOSITORY:-newsevents}
IMAGE="${REGION}-docker.pkg.dev/${PROJECT}/${REPOSITORY}/newsevents:${TAG}"
TEMPLATE="gs://${BUCKET}/templates/newsevents-extract-${TAG}.json"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

if [[ "${LOCAL_DOCKER:-0}" == 1 ]]; then
  DOCKER_BUILDKIT=1 docker build -f deploy/dataflow/Dockerfile \
    --build-arg "WORKER_IMAGE=${IMAGE}" -t "${IMAGE}" .
  docker push "${IMAGE}"
else
  gcloud builds submit --project "${PROJECT}" --region "${REGION}" \
    --config deploy/dataflow/cloudbuild.yaml \
    --substitutions "_IMAGE=${IMAGE}" .
fi

gcloud dataflow flex-template build "${TEMPLATE}" \
  --project "${PROJECT}" \
  --image "${IMAGE}" \
  --sdk-language PYTHON \
  --metadata-file deploy/dataflow/metadata.json

echo "image:    ${IMAGE}"
echo "template: ${TEMPLATE}"
