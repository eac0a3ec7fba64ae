"""A whole authority: one team folder per team, every team planned exactly as `rota plan` would,
in parallel (local processes, or a Ray cluster), and one summary for the head of service.

- jobs.py: the unit of work (a team: plain data in, plain data out) and the two ways to run
  many (a local process per team, pinned to its share of the cores; Ray tasks);
- state.py: what makes a team "unchanged since the last run" (OUTDIR/authority.json);
- run.py: `plan_authority`, what `rota plan-authority` calls;
- display.py: progress for the whole run (rich on a terminal, plain lines elsewhere);
- summary.py: authority.csv and authority.html (teams sorted by risk, totals, a map of areas);
- generate.py: a made-up authority of generated teams over one county (`rota generate-authority`).

Children appear in none of the authority's own files: counts, team ids and rounded areas only.
"""
