"""Flex Template entry point: launches `newsevents extract` on Dataflow and returns.

The template launcher runs ``python main.py --name=value ...`` with the template parameters
(metadata.json) and Dataflow's own options (--runner, --project, --region, --temp_location,
--staging_location, --job_name, ...). This file

* turns the template parameters into `newsevents extract` options (``input`` may hold several
  patterns separated by commas; ``overwrite=true`` becomes ``--overwrite``; snake_case names
  become the CLI's dashed names),
* defaults ``--sdk_container_image`` to this very image (NEWSEVENTS_WORKER_IMAGE, set at build
  time), so the workers run the same package, schemas, lexicons and spaCy model,
* builds the same pipeline as the CLI (pipelines.extract.build_pipeline) and submits it
  WITHOUT waiting: a Flex Template launcher must exit once the job is submitted.
"""
from __future__ import annotations

import logging
import os
import sys
from datetime import datetime, timezone

# Template parameter -> CLI option (see metadata.json; both are checked by
# tests/test_deploy_versions.py).
VALUE_PARAMETERS = {
    "output": "--output",
    "formats": "--formats",
    "spacy_model": "--spacy-model",
    "max_article_bytes": "--max-article-bytes",
}
LIST_PARAMETERS = {"input": "--input"}          # comma-separated patterns
FLAG_PARAMETERS = {"overwrite": "--overwrite"}  # "true" | "false"
PARAMETERS = {**VALUE_PARAMETERS, **LIST_PARAMETERS, **FLAG_PARAMETERS}
WORKER_IMAGE_ENV = "NEWSEVENTS_WORKER_IMAGE"


def translate(argv: list[str], environ: dict | None = None) -> list[str]:
    """Template-style ``--name=value`` arguments -> `newsevents extract` + Beam arguments."""
    environ = os.environ if environ is None else environ
    out: list[str] = []
    for arg in argv:
        name, has_value, value = arg[2:].partition("=") if arg.startswith("--") else ("", False, "")
        if name in LIST_PARAMETERS and has_value:
            patterns = [p.strip() for p in value.split(",") if p.strip()]
            out += [LIST_PARAMETERS[name], *patterns]
        elif name in VALUE_PARAMETERS and has_value:
            out.append(f"{VALUE_PARAMETERS[name]}={value}")
        elif name in FLAG_PARAMETERS and has_value:
            if value.strip().lower() not in ("true", "false"):
                raise SystemExit(f"template parameter {name} takes true or false, got {value!r}")
            if value.strip().lower() == "true":
                out.append(FLAG_PARAMETERS[name])
        else:
            out.append(arg)  # a Beam / Dataflow option: passed through unchanged
    if not any(a == "--runner" or a.startswith("--runner=") for a in out):
        out.append("--runner=DataflowRunner")
    image = environ.get(WORKER_IMAGE_ENV)
    if image and not any(a.startswith(("--sdk_container_image", "--worker_harness_container_image"))
                         for a in out):
        out.append(f"--sdk_container_image={image}")
    return out


def launch(argv: list[str]):
    """Build the extraction pipeline from ``argv`` and submit it; returns the PipelineResult."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.extract import ExtractOptions, build_pipeline, prepare_output, provenance
    from pipelines.options import expand_inputs

    options = PipelineOptions(argv)
    extract = options.view_as(ExtractOptions)
    extract.input = expand_inputs(extract.input)
    prepare_output(extract.output, extract.overwrite, extract.append)
    model = provenance(extract)
    pipeline = beam.Pipeline(options=options)
    build_pipeline(pipeline, extract, model, datetime.now(timezone.utc).replace(microsecond=0))
    return pipeline.run()  # no wait_until_finish(): the launcher must exit after submission


def main(argv: list[str] | None = None) -> int:
    logging.getLogger().setLevel(logging.INFO)
    args = translate(sys.argv[1:] if argv is None else list(argv))
    logging.info("newsevents flex template: %s", " ".join(args))
    result = launch(args)
    job_id = getattr(result, "job_id", lambda: None)()
    logging.info("pipeline submitted (job id %s); not waiting for it", job_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
