"""Tooling of the project (evaluation, benchmarks, purge, data checks and generators), run as
`python -m tools.<name>` from the project's root."""
