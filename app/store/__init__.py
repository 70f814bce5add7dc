"""The local SQLite store: typed models, the engine and its pragmas, migrations, backups."""
