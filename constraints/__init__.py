"""Practice standards as data: one YAML file per authority (see README.md and
docs/standards-schema.md). Nothing here is code; `scheduler.standards` loads these files with
importlib.resources, so a sixth authority is a sixth file."""
