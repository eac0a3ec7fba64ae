"""Practice standards (one YAML file per authority) and the constraint families that turn them
into a CP-SAT model (`constraints.families`, one module per family of rules)."""
