"""Caseloads: points and hours per worker (`rota caseload`), a proposal to rebalance them
(`rota rebalance`) and a ranking of workers for a new child (`rota allocate`)."""
