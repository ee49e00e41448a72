"""Beschermwijzer: a chat decision aid for domestic-violence work in the Netherlands."""

__version__ = "0.1.0"
