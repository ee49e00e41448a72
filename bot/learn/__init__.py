"""Learning mode for new wijkteam staff: lessons, the report's five cases, a glossary quiz."""
