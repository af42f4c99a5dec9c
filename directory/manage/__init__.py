"""Managing records: the dashboard, links, barrier reports, freshness, managers, archive and history."""
