"""Anonymous information lookup: a topic menu and fuzzy search over the knowledge base."""
