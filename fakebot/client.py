"""A scripted Telegram user talking to the bot through :class:`FakeBotApi`.

Tests read like a conversation (send, read the reply, click a button) instead of handcrafted
update dicts. The helpers only wait and report what the bot did; every judgement stays with the
test, and nothing fails on its own except a timeout or a click on a button that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import _builders as build
from ._model import Call, JsonDict
from .server import EDIT_METHODS, MESSAGE_METHODS, FakeBotApi

Button = tuple[str, str | None]


@dataclass(frozen=True)
class Screen:
    """What the user sees of one bot message: its text and buttons, as currently shown.

    ``buttons`` are the inline keyboard rows as (label, callback_data) pairs (callback_data is
    None for URL and other non-callback buttons); ``keyboard`` holds the rows of a reply
    keyboard sent with the message, which Telegram does not echo in the Message itself.
    """

    message_id: int
    text: str
    buttons: list[list[Button]]
    keyboard: list[list[str]] = field(default_factory=list)
    edited: bool = False
    message: JsonDict = field(default_factory=dict, repr=False)

    @property
    def labels(self) -> list[str]:
        """All inline button labels, row by row."""
        return [label for row in self.buttons for label, _ in row]

    def find(self, label_or_data: str) -> Button | None:
        """The button with this exact label, else the one with this callback data."""
        flat = [button for row in self.buttons for button in row]
        by_label = next((b for b in flat if b[0] == label_or_data), None)
        return by_label or next((b for b in flat if b[1] == label_or_data), None)

    @classmethod
    def of(cls, message: JsonDict, sent_markup: Any = None, edited: bool = False) -> Screen:
        """Build from a Message dict (and the reply_markup the bot sent, if known)."""
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [[(b["text"], b.get("callback_data")) for b in row] for row in rows]
        return cls(
            message_id=int(message["message_id"]),
            text=str(message.get("text") or message.get("caption") or ""),
            buttons=buttons,
            keyboard=_reply_keyboard(sent_markup),
            edited=edited,
            message=message,
        )


@dataclass(frozen=True)
class ClickResult:
    """What pressing a button produced: the query answer and the bot's visible reaction.

    ``answer`` is the answerCallbackQuery parameters (None if the bot never answered within
    the timeout); ``screen`` is the next message or edit in the chat (None if there was none).
    """

    update: JsonDict
    answer: JsonDict | None
    screen: Screen | None

    @property
    def edited(self) -> bool:
        """True when the bot edited a message instead of sending a new one."""
        return self.screen is not None and self.screen.edited


class FakeUser:
    """One user in one chat with the bot; create it with the running :class:`FakeBotApi`."""

    def __init__(
        self,
        api: FakeBotApi,
        chat_id: int,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str = "nl",
        chat_type: str = "private",
    ) -> None:
        self.api = api
        self.chat_id = chat_id
        self.chat_type = chat_type
        user_id = user_id if user_id is not None else build.default_user_id(chat_id)
        self.user = build.human(user_id, first_name, language_code)
        self._cursor = api.mark()

    @property
    def screen(self) -> Screen | None:
        """The latest bot message still in the chat, as it looks now (edits included)."""
        mine = [m for m in self.api.store.in_chat(self.chat_id) if self._from_bot(m)]
        if not mine:
            return None
        latest = mine[-1]
        return Screen.of(latest, self._sent_markup(latest), "edit_date" in latest)

    async def send(self, text: str) -> JsonDict:
        """Type ``text`` (a ``/command`` gets its bot_command entity); returns the update."""
        self._catch_up()
        if text.startswith("/"):
            return self.api.send_command(self.chat_id, text, user=self.user, chat_type=self.chat_type)
        return self.api.send_text(self.chat_id, text, user=self.user, chat_type=self.chat_type)

    async def reply(self, timeout: float = 5.0) -> Screen:
        """The bot's next new message in this chat (edits on the way are skipped)."""
        call = await self.api.wait_for(self._is_new_message, timeout, since=self._cursor)
        self._cursor = call.seq + 1
        return self._screen_of(call)

    async def next_event(self, timeout: float = 5.0) -> Screen:
        """The bot's next new message or edit in this chat, whichever comes first."""
        call = await self.api.wait_for(self._is_visible_change, timeout, since=self._cursor)
        self._cursor = call.seq + 1
        return self._screen_of(call)

    async def click(
        self,
        label_or_data: str,
        *,
        message_id: int | None = None,
        timeout: float = 5.0,
        expect_message: bool = True,
    ) -> ClickResult:
        """Press a button of the latest bot message (or ``message_id``) by label or data.

        Waits for the bot's answerCallbackQuery and, unless ``expect_message`` is False, for
        the next new message or edit; whatever did not come within ``timeout`` is None.
        Raises LookupError if no such button is on screen, as a user could not press it.
        """
        self._catch_up()
        target = self._target(message_id)
        button = target.find(label_or_data)
        if button is None or button[1] is None:
            raise LookupError(f"no callback button {label_or_data!r} in {target.buttons}")
        update = self.api.press(self.chat_id, target.message, button[1], user=self.user)
        answer = await self._wait_answer(update["callback_query"]["id"], timeout)
        screen = await self._maybe_event(timeout) if expect_message else None
        return ClickResult(update, answer, screen)

    def _target(self, message_id: int | None) -> Screen:
        """The message whose buttons a click refers to."""
        if message_id is None:
            screen = self.screen
            if screen is None:
                raise LookupError(f"the bot has no message in chat {self.chat_id}")
            return screen
        msg = self.api.store.messages.get((self.chat_id, message_id))
        if msg is None:
            raise LookupError(f"no message {message_id} in chat {self.chat_id}")
        return Screen.of(msg, self._sent_markup(msg))

    async def _wait_answer(self, query_id: str, timeout: float) -> JsonDict | None:
        def answered(call: Call) -> bool:
            return (
                call.method == "answerCallbackQuery"
                and call.ok
                and str(call.params.get("callback_query_id")) == query_id
            )

        try:
            call = await self.api.wait_for(answered, timeout, since=self._cursor)
        except TimeoutError:
            return None
        return call.params

    async def _maybe_event(self, timeout: float) -> Screen | None:
        try:
            return await self.next_event(timeout)
        except TimeoutError:
            return None

    def _catch_up(self) -> None:
        """Forget bot activity before the user's next action, so replies match the action."""
        self._cursor = self.api.mark()

    def _in_my_chat(self, call: Call) -> bool:
        return call.ok and isinstance(call.result, dict) and self._chat_of(call) == self.chat_id

    def _chat_of(self, call: Call) -> Any:
        return call.result.get("chat", {}).get("id")

    def _is_new_message(self, call: Call) -> bool:
        return call.method in MESSAGE_METHODS and self._in_my_chat(call)

    def _is_visible_change(self, call: Call) -> bool:
        return call.method in MESSAGE_METHODS | EDIT_METHODS and self._in_my_chat(call)

    def _screen_of(self, call: Call) -> Screen:
        edited = call.method in EDIT_METHODS
        markup = self._sent_markup(call.result) if edited else call.params.get("reply_markup")
        return Screen.of(call.result, markup, edited)

    def _from_bot(self, message: JsonDict) -> bool:
        return bool(message.get("from", {}).get("id") == self.api.bot["id"])

    def _sent_markup(self, message: JsonDict) -> Any:
        """The reply_markup the bot sent with this message (reply keyboards included)."""
        for call in self.api.calls:
            if call.method in MESSAGE_METHODS and call.ok and call.result is not None:
                same_chat = self._chat_of(call) == self.chat_id
                if same_chat and call.result["message_id"] == message["message_id"]:
                    return call.params.get("reply_markup")
        return None


def _reply_keyboard(markup: Any) -> list[list[str]]:
    """Rows of a ReplyKeyboardMarkup as label lists; empty for anything else."""
    if not isinstance(markup, dict) or not isinstance(markup.get("keyboard"), list):
        return []
    rows: list[list[str]] = []
    for row in markup["keyboard"]:
        rows.append([b["text"] if isinstance(b, dict) else str(b) for b in row])
    return rows
