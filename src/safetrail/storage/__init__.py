"""Schema, engines, migrations and the repository over them."""
