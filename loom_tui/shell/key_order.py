"""Every key the terminal delivers goes where it was aimed, in order: wired into LoomApp as a mixin.

Textual hands a key to the focused widget by posting it into that widget's queue; the key then
bubbles up (widget → screen → app, one queue at a time) before the app runs its bindings (``tab``
moves focus, ``n`` opens a form).  Meanwhile the app has already handed the NEXT key of a burst to
whatever was focused before that binding ran: ``Burst`` Tab ``descr`` became Name ``Burstd``.  And a
key that arrives while a dialog is being pushed or popped goes to a screen that has no focused
field yet.

So the app keeps keys in a queue and hands out one at a time: after forwarding a key it posts a
:class:`KeyDone` marker to the same widget; the marker bubbles up behind the key, so when it
reaches the app the key has been handled everywhere (or stopped by a widget); it goes round a
few times, so what the key's handler posted in turn (``Input.Submitted``, a deferred ``focus()``)
is handled too.  The next key waits
for that, and for the current screen to be mounted and focused (a pushed dialog) — bounded, so a
widget that vanished with its queue never stalls typing.
"""

from __future__ import annotations

from collections import deque
from time import monotonic

from textual import events
from textual.message import Message

SETTLE_LIMIT = 1.0  # seconds a new screen may take to mount and focus before keys go on anyway
BUSY_LIMIT = 15.0  # seconds a screen may hold keys while it saves (``holds_keys``) before they go on anyway
MARKER_LIMIT = 2.0  # seconds a key may take to bubble before the next one goes anyway
POLL = 0.02
LAPS = 3  # a key's handler may post more (Input.Submitted, a deferred focus()): the marker goes round again


class KeyDone(Message):
    """Bubbles up behind a forwarded key: when the app sees it, the key has been handled."""

    def __init__(self, serial: int, lap: int = 1) -> None:
        super().__init__()
        self.serial = serial
        self.lap = lap


class KeyOrder:
    """Mixin for LoomApp: one key in flight at a time, the next one only once the screen is settled."""

    _keys_waiting: deque | None = None
    _key_inflight: tuple[int, object, float] | None = None
    _key_serial = 0
    _unsettled_since: float | None = None
    _key_poll_armed = False

    def key_order_init(self) -> None:
        self._keys_waiting = deque()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._keys_waiting is not None:
            self._keys_waiting.append(event)
            await self._drain_keys()
            return
        await super().on_event(event)  # type: ignore[misc]

    def _screen_settled(self) -> bool:
        """The current screen can take the next key: mounted and focused, and not saving — a form
        that is saving sets ``holds_keys``; the keys typed after ctrl+s were aimed at what comes
        after the form (the list), not at the form's fields, where they would be lost with it."""
        screen = self.screen  # type: ignore[attr-defined]
        busy = bool(getattr(screen, "holds_keys", False))
        ready = not busy and screen.is_mounted and (screen.focused is not None or not screen.focus_chain)
        if ready:
            self._unsettled_since = None
            return True
        now = monotonic()
        if self._unsettled_since is None:
            self._unsettled_since = now
        return now - self._unsettled_since > (BUSY_LIMIT if busy else SETTLE_LIMIT)

    async def _drain_keys(self) -> None:
        waiting = self._keys_waiting
        assert waiting is not None
        while waiting and self._key_inflight is None and self._screen_settled():
            event = waiting.popleft()
            target = self.focused or self.screen  # type: ignore[attr-defined]
            await super().on_event(event)  # type: ignore[misc]  # priority bindings, else forwarded to target
            if event.is_forwarded:
                self._key_serial += 1
                self._key_inflight = (self._key_serial, target, monotonic())
                if not target.post_message(KeyDone(self._key_serial)):
                    self._key_inflight = None
        if (waiting or self._key_inflight is not None) and not self._key_poll_armed:
            self._key_poll_armed = True
            self.set_timer(POLL, self._key_poll)  # type: ignore[attr-defined]

    async def _key_poll(self) -> None:
        self._key_poll_armed = False
        inflight = self._key_inflight
        if inflight is not None:
            _, target, started = inflight
            if not target.is_attached or monotonic() - started > MARKER_LIMIT:  # type: ignore[attr-defined]
                self._key_inflight = None  # its widget went away with the marker
        await self._drain_keys()

    async def on_key_done(self, message: KeyDone) -> None:
        message.stop()
        inflight = self._key_inflight
        if inflight is not None and inflight[0] == message.serial:
            target = inflight[1]
            if message.lap < LAPS and target.is_attached:  # type: ignore[attr-defined]
                if target.post_message(KeyDone(message.serial, message.lap + 1)):  # type: ignore[attr-defined]
                    return
            self._key_inflight = None
        await self._drain_keys()
