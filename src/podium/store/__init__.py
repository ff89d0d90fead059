"""Persistence: tables, engine, migrations, queries and the group-committing answer writer."""
