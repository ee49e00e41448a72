"""One shared transitions.Machine for the dialog; sessions are its models.

Routes are derived from the dialog data: an asking node's `answer` trigger
tries its `on` targets first (conditioned on the answer just given), then the
following nodes in order, skipping those whose `when` does not match. Models
are plain slotted objects and `model_override=True` keeps transitions from
attaching per-model convenience methods, so a session costs a few hundred
bytes, not kilobytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from transitions import EventData, Machine

from bot.dialog.spec import ASKING, Condition, Dialog, Node

RESTART, ACUTE, END, ANSWER, PROCEED = "restart", "acute", "end", "answer", "proceed"

# With model_override=True transitions logs one warning per state and trigger for
# every model it does not decorate; that is exactly what we ask for, so silence it.
logging.getLogger("transitions.core").setLevel(logging.ERROR)


class Model(Protocol):
    state: str
    answers: dict[str, Any]


def condition_holds(when: Condition, answers: Mapping[str, Any]) -> bool:
    return all(answers.get(ind, "unknown") in allowed for ind, allowed in when.items())


def _answers(event: EventData) -> Mapping[str, Any]:
    answers: Mapping[str, Any] = getattr(event.model, "answers")  # noqa: B009 - typed via Model
    return answers


def menu_trigger(item_id: str) -> str:
    return f"open_{item_id}"


class DialogMachine:
    def __init__(self, dialog: Dialog) -> None:
        self.dialog = dialog
        self.machine = Machine(
            model=None, states=[n.id for n in dialog.nodes], initial=dialog.start,
            transitions=list(self._transitions()), auto_transitions=False, send_event=True,
            model_override=True, ignore_invalid_triggers=False,
        )

    def _transitions(self) -> Any:
        d = self.dialog
        yield {"trigger": RESTART, "source": "*", "dest": d.start}
        yield {"trigger": ACUTE, "source": "*", "dest": d.acute}
        yield {"trigger": END, "source": "*", "dest": d.end}
        for node in d.nodes:
            if node.kind in ASKING:
                for answer, target in node.on.items():
                    yield {"trigger": ANSWER, "source": node.id, "dest": target,
                           "conditions": [self._answered(node.indicator or "", answer)]}
                yield from self._chain(ANSWER, node.id)
            elif node.kind in ("info", "acute") and d.successor(node.id):
                yield from self._chain(PROCEED, node.id)
            for item in node.menu:
                yield {"trigger": menu_trigger(item.id), "source": node.id, "dest": item.to}

    def _chain(self, trigger: str, source: str) -> Any:
        """Transitions to the first following node that applies (its `when` and relevance)."""
        target = self.dialog.successor(source)
        while target is not None:
            node = self.dialog.node(target)
            if self.dialog.unconditional(node):
                yield {"trigger": trigger, "source": source, "dest": target}
                return
            yield {"trigger": trigger, "source": source, "dest": target,
                   "conditions": [self._applies(node)]}
            target = self.dialog.successor(target)
        raise ValueError(f"dialog: no unconditional node after {source!r}")

    @staticmethod
    def _answered(indicator: str, answer: str) -> Callable[[EventData], bool]:
        return lambda event: bool(_answers(event).get(indicator, "unknown") == answer)

    def _applies(self, node: Node) -> Callable[[EventData], bool]:
        return lambda event: self.dialog.applies(node, _answers(event))

    # --- models --------------------------------------------------------------------
    def attach(self, model: Model) -> None:
        self.machine.add_model(model, initial=self.dialog.start)

    def detach(self, model: Model) -> None:
        self.machine.remove_model(model)

    @property
    def model_count(self) -> int:
        return len(self.machine.models)

    def fire(self, model: Model, trigger: str) -> bool:
        return bool(self.machine.events[trigger].trigger(model))

    def can_fire(self, model: Model, trigger: str) -> bool:
        event = self.machine.events.get(trigger)
        return event is not None and model.state in event.transitions

    def jump(self, model: Model, state: str) -> None:
        """Back-navigation: restore an earlier state without running a transition."""
        self.machine.set_state(state, model=model)
