"""The protocol every mode implements: consultation, lookup, learning, and the modes to come.

A mode keeps its own small model in the session (`Session.models[mode]`); front-ends
never look at it. They call the command layer (`bot.ui.chat`), which calls these methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from bot.ui.screen import Screen
from bot.ui.session import Session

if TYPE_CHECKING:
    from bot.assess.code import Decoded


class InvalidAction(Exception):
    """The action is not on the current screen (stale, doubled or forged)."""


class Engine(Protocol):
    mode: str
    takes_text: bool  # typed text is input here (a search), not a mistake
    machine: Any  # the mode's shared transitions.Machine (its states and the diagram)

    def begin(self, s: Session) -> Screen:
        """Start the mode from its first screen, forgetting its earlier progress."""

    def show(self, s: Session) -> Screen:
        """The current screen (starts the mode when the session has no model for it yet)."""

    def act(self, s: Session, action: str) -> Screen:
        """Apply a button action; raises InvalidAction when it is not on the current screen."""

    def acute(self, s: Session) -> Screen:
        """The acute-help screen, from wherever the user is; Back returns."""

    def text(self, s: Session, typed: str) -> Screen | None:
        """Typed text (a lookup query), or None when the mode takes no text. Never kept."""

    def has_progress(self, s: Session) -> bool:
        """Whether starting over would lose answers (then the user is asked first)."""

    def forget(self, s: Session) -> None:
        """Drop this mode's model from the session (and from its machine)."""

    def diagram(self) -> str:
        """The mode's states and transitions as a Mermaid diagram."""


@runtime_checkable
class Resumable(Protocol):
    """A mode that can open a resume code's answers (the consultation, the follow-up)."""

    mode: str

    def resume(self, s: Session, decoded: Decoded) -> Screen:
        """Take the code's answers and show where they lead; Back reaches the questions."""
