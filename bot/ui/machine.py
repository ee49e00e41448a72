"""One shared transitions.Machine per mode; every session's model of that mode attaches to it.

Models are plain slotted objects, and `model_override=True` keeps transitions from
attaching per-model convenience methods, so a model costs a few hundred bytes. The
machine's model registry is replaced by an insertion-ordered dict: transitions keeps a
list, whose membership test and removal grow with the number of live sessions.

Attaching a model skips transitions' per-state and per-trigger binding loop: with
`model_override` and models that define no `on_enter_*`/`on_exit_*` methods it binds
nothing, but it walked every state and trigger of the mode for each new session (a
tenth of a millisecond per /start). Models that do define such methods go the full way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from transitions import Machine

# With model_override=True transitions logs one warning per state and trigger for
# every model it does not decorate; that is exactly what we ask for, so silence it.
logging.getLogger("transitions.core").setLevel(logging.ERROR)


class ModelRegistry:
    """The list interface transitions uses for `Machine.models`, in constant time."""

    def __init__(self) -> None:
        self._models: dict[Any, None] = {}

    def __contains__(self, model: object) -> bool:
        return model in self._models

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._models))

    def __len__(self) -> int:
        return len(self._models)

    def __getitem__(self, index: int) -> Any:
        # transitions reads models[0] (Machine.model with one model); the ends cost O(1)
        if not self._models:
            raise IndexError("no models attached")
        if index == 0:
            return next(iter(self._models))
        if index == -1:
            return next(reversed(self._models))
        return list(self._models)[index]

    def append(self, model: object) -> None:
        self._models[model] = None

    def remove(self, model: object) -> None:
        del self._models[model]


class _Machine(Machine):
    def add_model(self, model: Any, initial: Any = None) -> None:
        state = self.initial if initial is None else initial
        if state is None or isinstance(model, list) or not _binds_nothing(type(model)):
            super().add_model(model, initial)
        elif model not in self.models:
            self.set_state(state, model=model)
            self.models.append(model)


_PLAIN: dict[type, bool] = {}


def _binds_nothing(cls: type) -> bool:
    """A model class transitions would bind nothing to (see the module docstring)."""
    known = _PLAIN.get(cls)
    if known is None:
        hooks = ("on_enter_", "on_exit_")
        known = _PLAIN[cls] = cls is not Machine and not any(
            name.startswith(hooks) for name in dir(cls))
    return known


class SharedMachine:
    def __init__(self, name: str, states: Sequence[str], initial: str,
                 transitions: Iterable[dict[str, Any]]) -> None:
        self.name = name
        self.initial = str(initial)
        self.machine = _Machine(
            model=None, states=[str(st) for st in states], initial=self.initial,
            transitions=[_plain(t) for t in transitions],
            auto_transitions=False, send_event=True, model_override=True,
            ignore_invalid_triggers=False, name=name,
        )
        # transitions declares a list; ModelRegistry offers the part of it that is used
        self.machine.models = ModelRegistry()  # type: ignore[assignment]

    def attach(self, model: Any, state: str | None = None) -> None:
        self.machine.add_model(model, initial=state or self.initial)

    def detach(self, model: Any) -> None:
        if model in self.machine.models:
            self.machine.remove_model(model)

    @property
    def model_count(self) -> int:
        return len(self.machine.models)

    def fire(self, model: Any, trigger: str) -> bool:
        return bool(self.machine.events[trigger].trigger(model))

    def jump(self, model: Any, state: str) -> None:
        """Back-navigation: restore an earlier state without running a transition."""
        self.machine.set_state(str(state), model=model)


def _plain(transition: dict[str, Any]) -> dict[str, Any]:
    """State names as plain strings: transitions reads Enum members by their name, and
    the modes declare their states as StrEnum values."""
    out = dict(transition)
    for key in ("source", "dest"):
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [str(v) for v in value]
        elif value is not None:
            out[key] = str(value)
    return out
