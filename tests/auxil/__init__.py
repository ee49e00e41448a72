"""Test helpers shared by the engine, console and Telegram suites."""
