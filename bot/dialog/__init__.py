"""The screening dialog: a data-defined state machine shared by all sessions."""
