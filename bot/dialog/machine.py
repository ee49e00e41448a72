"""The consultation's shared machine, derived from the dialog data.

Routes come from dialogs/consult.yaml: an asking node's `answer` trigger tries its
`on` targets first (conditioned on the answer just given), then the following nodes
in order, skipping those whose `when` does not match. Every session's consultation
model attaches to this one machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from transitions import EventData

from bot.dialog.spec import ASKING, Condition, Dialog, Node
from bot.ui.machine import SharedMachine

RESTART, ACUTE, END, ANSWER, PROCEED = "restart", "acute", "end", "answer", "proceed"
TO_RESULT = "to_result"  # a section closes: back to the result card
GLOBAL = (RESTART, ACUTE, END)


def condition_holds(when: Condition, answers: Mapping[str, Any]) -> bool:
    return all(answers.get(ind, "unknown") in allowed for ind, allowed in when.items())


def _answers(event: EventData) -> Mapping[str, Any]:
    answers: Mapping[str, Any] = getattr(event.model, "answers")  # noqa: B009 - a ConsultModel
    return answers


def menu_trigger(item_id: str) -> str:
    return f"open_{item_id}"


class DialogMachine(SharedMachine):
    def __init__(self, dialog: Dialog) -> None:
        self.dialog = dialog
        result = dialog.node(dialog.result)
        self.result_family = frozenset({dialog.result, *(item.to for item in result.menu)})
        super().__init__(dialog.id, [n.id for n in dialog.nodes], dialog.start,
                         self._transitions())

    def _transitions(self) -> Iterator[dict[str, Any]]:
        d = self.dialog
        yield {"trigger": RESTART, "source": "*", "dest": d.start}
        yield {"trigger": ACUTE, "source": "*", "dest": d.acute}
        yield {"trigger": END, "source": "*", "dest": d.end}
        # The result card's menu works from the card and from every section it opened: the
        # card stays in the chat and its buttons stay valid while a section is open.
        result = d.node(d.result)
        family = [d.result, *dict.fromkeys(item.to for item in result.menu)]
        for item in result.menu:
            yield {"trigger": menu_trigger(item.id), "source": family, "dest": item.to}
        for section in family[1:]:
            yield {"trigger": TO_RESULT, "source": section, "dest": d.result}
        for node in d.nodes:
            if node.id == d.result:
                continue
            if node.kind in ASKING:
                for answer, target in node.on.items():
                    yield {"trigger": ANSWER, "source": node.id, "dest": target,
                           "conditions": [self._answered(node.indicator or "", answer)]}
                yield from self._chain(ANSWER, node.id)
            elif node.kind in ("info", "acute") and d.successor(node.id):
                yield from self._chain(PROCEED, node.id)
            for item in node.menu:
                yield {"trigger": menu_trigger(item.id), "source": node.id, "dest": item.to}

    def _chain(self, trigger: str, source: str) -> Iterator[dict[str, Any]]:
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
