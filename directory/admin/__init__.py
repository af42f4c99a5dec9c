"""Administration: users, areas and roles (admins only)."""
