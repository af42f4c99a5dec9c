"""Partner finding: researchers find partner sites, services find research partners."""
