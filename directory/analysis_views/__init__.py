"""Area analysis pages ("where the pathway breaks"), the national ranking, and their downloads."""
