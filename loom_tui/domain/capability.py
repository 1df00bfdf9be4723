"""What may be done to a resource, decided once (k9s's ``Scalable``): ``resource.can(verb)`` is
``None`` when the resource's kind can do it, else the reason it cannot, in the words the operator
reads.  The Capacity screen's ``check_action`` (shown or not), the Capacity service (refused before
anything starts, so the CLI too) and the Operation runners (refused when an operation is resumed)
all ask it; none of them decides on its own.

A kind declares the verbs it has (:meth:`Capable.capabilities`); this module holds the verbs and
what is said when one is missing.  Whether the resource is in a state to do it now (running, to be
paused) is not a capability: the verb on a paused capacity is a no-op, not a refusal.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

PAUSE, RESUME, SCALE = "pause", "resume", "scale"
VERBS: tuple[str, ...] = (PAUSE, RESUME, SCALE)

# why a kind without the verb cannot do it ({name}, {type}: the resource's)
_NO_RUNTIME = "{name} ({type}) cannot be paused or resumed"
_REFUSALS = {PAUSE: _NO_RUNTIME, RESUME: _NO_RUNTIME, SCALE: "only Fabric capacities scale here; {name} is {type}"}


class Capable(ABC):
    """A resource whose kind declares its verbs (a mixin: the resource dataclass gives ``name``
    and ``type``, and says which verbs its kind has)."""

    name: str
    type: str

    @abstractmethod
    def capabilities(self) -> frozenset[str]:
        """The verbs this resource's kind has (each kind says; there is no default)."""

    def can(self, verb: str) -> str | None:
        """``None`` when this resource's kind can ``verb``; else why not."""
        if verb not in _REFUSALS:
            raise ValueError(f"not a verb: {verb!r} (one of {', '.join(VERBS)})")
        if verb in self.capabilities():
            return None
        return _REFUSALS[verb].format(name=self.name, type=self.type)
