"""Registering services, forums and researchers, claiming and editing their records."""
