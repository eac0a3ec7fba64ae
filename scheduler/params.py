"""Solver settings in one frozen object: budgets, shares, objective weights and tiers.

Every tuning constant of the planner lives here with the measurement or reason behind it
(docs/benchmarks.md); `plan(team, standard, horizon, params)` takes one of these. Change a
setting with `dataclasses.replace(SolveParams(), time_limit=120)`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class SolveParams:
    # --- budgets ---
    # The deterministic work budget ends the solver's stages, so the same inputs give the same
    # rota on a busy machine; the wall clock is only the hard stop behind it. Measured here
    # (docs/benchmarks.md): the full 30 units take about 45-60 s on this idle 2-core machine
    # (stages stop sooner when proven: the demo uses 3.4) and about 150 s with two other
    # CPU-bound processes per core, inside the 180 s limit.
    time_limit: float = 180.0  # wall-clock seconds for the whole plan: the hard stop
    work_limit: float | None = None  # CP-SAT deterministic units for all stages (None: default_work)
    default_work: float = 30.0
    seed: int = 0
    # CP-SAT's deterministic time runs at 0.3 (busy) to 0.75 (quiet) units per wall second on
    # this 2-core machine (docs/benchmarks.md); the default work budget is time_limit x this
    deterministic_per_second: float = 0.6
    solve_share: float = 0.85  # of time_limit for the solver; breach diagnosis gets the rest
    breach_stage_share: float = 0.5  # of the work budget for the fewest-breaches stage (the proof gets half the rest)
    diagnose_seconds: float = 2.0  # deterministic units per breach diagnosed
    diagnose_max_targets: int = 40
    # interleaved search on one thread is deterministic and runs LNS; measured on the demo
    # team, 2 subsolvers (one core-based) prove the breach stage fastest. The later stage: 2 as
    # well (was 4) - over the 15 teams of benchmarks/edf_vs_cpsat.py its objective 4% lower in
    # sum (lower on 7 teams, higher on 3), 6% less work, 212 cover visits instead of 227; the
    # demo's later stage reaches the same objective
    breach_stage_workers: int = 2
    # CP-SAT's full-problem subsolvers left out of the interleaved search: with all nine, each
    # batch spent its slices on LP-heavy searches and no neighbourhood search (LNS) ran for the
    # first 6 units; measured on a generated Dorset team (10 / 200), the fewest breaches were
    # reached at 8.4 s without them against 26 s with them (the bound came from default_lp)
    # CP-SAT's presolve probing level (None: its default, 2). Measured on the demo team (solver
    # seed 2026): 9.4 s with the default, 14.6 s with 0 and 25.8 s with 1 (the later stage then
    # ran to its cap) - the presolve it saves is lost many times over in the search
    probing_level: int | None = None
    # CP-SAT's presolve passes (None: its default, 3), per kind of solve. On a generated 10 / 200
    # Swindon team over 12 weeks presolve took 15 s of every solve at 3 passes and 6.4 s at 1 (the
    # later passes fixed nothing). The fewest-breaches stage and its proof: 1 - over the 15 teams
    # of benchmarks/edf_vs_cpsat.py, 99.8 s to the proofs instead of 122.7, the whole plans 472 s
    # instead of 502, and the later objective 7% lower. The later stage: the default - with 1 the
    # demo's later stage no longer closed its gap and ran to its cap (4.3 s -> 10.8 s). Solves with
    # every decision fixed (repairs, post-passes): 1, presolve only propagates what is fixed
    breach_presolve_iterations: int | None = 1
    later_presolve_iterations: int | None = None
    fixed_presolve_iterations: int | None = 1
    # the fewest-breaches stage ends once its breach count is proven (for the planning model):
    # False, at once; True, only when it also has no more cover visits than the hand method's
    # plan. Measured on generated 10 / 200 teams (seed 2026, solver seed 2026; /work units): with
    # False and the later stage's cap at 12, swindon's proof came at 2.1 units instead of 17.1,
    # devon's at 9.3 instead of 15.6, with the same breaches and cover 15 / 42 against 17 / 45;
    # the later stage's objective 6% worse under swindon, 6% better under devon
    breach_stage_cover_no_worse: bool = False
    ignore_subsolvers: tuple[str, ...] = ("max_lp", "max_lp_sym", "quick_restart", "quick_restart_no_lp",
                                          "reduced_costs", "pseudo_costs")
    later_stage_workers: int = 2
    # the model's time rules are a relaxation of real routes; a solution's days that do not fit
    # are cut off and the stage solved again, at most this many times
    route_rounds: int = 8
    start_from_edf: bool = True  # start the search from the earliest-deadline-first plan
    # fewest cover visits as the first stage's tie-break (below one breach): measured on a generated
    # Dorset team (10 workers / 200 children), 26 cover visits with it, 160 without (the second
    # stage cannot undo the first's arbitrary choice of worker in its budget)
    stage1_cover_tiebreak: bool = True
    # planning (not proving) charges each stop the way in from its k-th nearest possible place
    plan_leg_rank: int = 3
    plan_margin: str = "star"  # star: star trips from a hub, an upper bound on routes | legs: typical legs
    # completing a solution whose decisions are all fixed (after the overdue fill-in): its own
    # budget, not what the stages left, so a fill is not lost when they spent everything
    repair_work: float = 5.0
    fill_rounds: int = 4  # fill-in rounds: each fills the intervals the previous one opened
    # overdue children seen sooner after the solve (solve.overdue_sooner): moves tried at most,
    # each checked by completing the solution (a fraction of a second on a 10 / 200 team)
    sooner_tries: int = 30
    # cover handed back to the child's own worker on another day after the solve
    # (solve.own_worker_other_day): up to this many working days from the cover visit's day
    cover_days_apart: int = 3
    route_round_work: float = 2.0  # deterministic units per solve after a round of route cuts
    # a later stage without the planning margins (the plan came from the hand method or the proof)
    # keeps this share of its work for the route rounds, which it needs: with none left, a
    # solution whose days did not fit was dropped whole (generated Dorset team, 10 / 200)
    route_reserve: float = 0.4
    later_stage_work: float = 12.0  # cap on the days-late/cover/travel stage: it rarely proves optimal
    # ... and it ends once its plan is within this fraction of the best possible (CP-SAT's
    # relative gap): on the demo team it reached its final plan in 2.5 units and then spent 5.8
    # more closing a gap of 0.09% (143459 against a bound of 143326)
    later_stage_gap: float = 0.001
    # --- a re-plan (`rota plan --previous`; scheduler.model.families.continuity) ---
    # the neighbourhood model is small and starts from the previous plan; measured on the demo
    # team's 2-day absence (benchmarks/replan_benchmark.py): one interleaved search worker reaches
    # the same plan as two or four with less work. The first stage (fewest breaches, then the
    # fewest changes) ends once proven; it gets 3.6 units: the README's Tuesday (W03 off sick two
    # days) proved its fewest breaches (40) at about 3.5 units, where the 0.9 units of a 3-unit
    # budget at 0.3 left 7 breaches instead of 5 (60) - for about 1.5 s more on that re-plan and
    # 0.8 s on replan_benchmark's (docs/benchmarks.md)
    replan_stage_workers: int = 1
    replan_breach_stage_share: float = 0.6
    # default budget of a re-plan (--work-limit overrides it); stages stop early when proven
    replan_work_limit: float = 6.0
    # a breach the neighbourhood could not avoid opens the households in its way, and the re-plan
    # is solved once more - unless that would open more than this many households
    replan_widen_max: int = 20
    # --- model size ---
    # nearest eligible colleagues (by base) considered as cover besides the allocated worker;
    # None = every eligible colleague, which a proof of "unavoidable" needs (issue 10: with the two
    # nearest only, a generated Swindon team's "proven" optimum was 328 where 318 was possible)
    cover_candidates: int | None = None
    # while planning (not proving), cover comes from the allocated worker's nearest eligible
    # colleagues only: a smaller search, and the proof still considers everyone
    plan_cover_candidates: int | None = 2
    # a re-plan plans afresh only the households the previous plan no longer serves (the
    # continuity family's open_households); the rest may only keep, retime or drop what they had.
    # True: every household afresh (exact, but the whole model: on the demo team a re-plan then
    # takes as long as a plan, where the neighbourhood takes seconds)
    replan_whole_team: bool = False
    # --- objective ---
    # second stage, in the priority order: days late, then cover visits, then travel
    # minutes, then a day of buffer before the last compliant day, then the fairest spread
    # a cover visit weighs as two days late for a child on a CP plan (severity 10), three and a
    # third for a child in need (6): cover only to see an overdue child sooner, or when the
    # child's own worker cannot (away, full, unallocated); issue 10: cover no more than by hand
    # A re-plan (`--previous`, families/continuity) adds "change" above them all: a retime costs
    # 1 unit, an activity lost from a worker's day 2 (so a move or a reassignment 2 + an
    # addition); one unit weighs as a statutory CP visit ten days later (1000 x severity 10 x 10),
    # so nobody's week is rearranged to see a late child sooner. An activity added ("added")
    # weighs less than one day late for any child, so a child whose visit was lost is still seen
    # as soon as possible and nothing is added for less. Breaches are the first stage and come first.
    # "afresh" (availability family): a kept day planned around its published stops, priced as a
    # change in the searches only (solve.PLANNING_ONLY)
    stage2_weights: tuple[tuple[str, int], ...] = (
        ("change", 100000), ("afresh", 100000), ("late", 1000), ("added", 100), ("cover", 20000), ("travel", 1),
        ("buffer", 3), ("fair", 2))
    # calendar days after the later of due_by and the plan's start: each tier missed costs its
    # width, so an overdue child is seen as early as the team can manage
    # (a day at a time in the first week: an overdue child is seen at the first opportunity)
    late_tiers_days: tuple[int, ...] = (1, 2, 3, 4, 5, 7, 10, 14, 21)
    fairness_unit_minutes: int = 30  # workload measured in half hours for the spread term

    def for_replan(self) -> SolveParams:
        """The settings a re-plan in its neighbourhood solves with (replan_* above)."""
        if self.replan_whole_team:
            return self
        return replace(self, breach_stage_workers=self.replan_stage_workers,
                       later_stage_workers=self.replan_stage_workers,
                       breach_stage_share=self.replan_breach_stage_share,
                       # measured on the demo's 2-day absence: with one search worker, leaving the
                       # LP-heavy subsolvers out made the re-plan's first stage run to its budget
                       # (10.9 s solving, against 5.2 s with them)
                       ignore_subsolvers=(),
                       # a re-plan's model is small and its presolve cheap: CP-SAT's default passes.
                       # With 1 pass (as whole plans' first stage) the replayed README's Tuesday
                       # re-plan left two booked reviews unheld instead of one core group (5
                       # breaches instead of 4), and the 2-day absence of replan_benchmark made 10
                       # changes instead of 8 (in 3.8 s instead of 5.6 s)
                       breach_presolve_iterations=None, later_presolve_iterations=None,
                       fixed_presolve_iterations=None,
                       work_limit=self.work_limit if self.work_limit is not None
                       else min(self.work_budget, self.replan_work_limit))

    @property
    def work_budget(self) -> float:
        """--work-limit, or the default budget (less when --time-limit leaves no time for it)."""
        if self.work_limit is not None:
            return self.work_limit
        return min(self.default_work, self.time_limit * self.deterministic_per_second)
