"""The knowledge base: the report's facts as typed, validated data."""

from bot.kb.errors import KnowledgeError
from bot.kb.loader import load_knowledge
from bot.kb.models import Knowledge

__all__ = ["Knowledge", "KnowledgeError", "load_knowledge"]
