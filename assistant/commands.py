"""Command groups beyond the knowledge base: ask, eval, data (registered in cli.EXTENSIONS)."""
