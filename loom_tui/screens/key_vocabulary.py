"""One key, one verb, on every screen (issue 13).  ``?`` and the README print this table; a test
checks every screen's bindings against it (``tests/ui/test_key_vocabulary.py``).  Plain data: no
Textual import."""

from __future__ import annotations

# (key as shown, the verb, descriptions a binding on that key may carry)
VOCABULARY: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/", "search / filter the list", frozenset({"Search", "Filter"})),
    ("s", "sort: pick the column (the same one again reverses)", frozenset({"Sort"})),
    ("n", "new / add", frozenset({"New", "New item", "Add member", "Comment"})),
    ("e", "edit (a workspace; an item's name; a member's role; a template parameter in the DLZ wizard; a budget's amount)",
     frozenset({"Edit", "Rename", "Change role", "Edit parameter", "Edit amount"})),
    ("d", "delete / remove (asks first)", frozenset({"Delete", "Remove"})),
    ("enter", "open; on an item or a member: describe", frozenset({"Open", "Describe", "Detail", "Next", "Mark read", "Close"})),
    ("i", "describe a workspace (every field, raw JSON); inside a workspace i m a c switch panes",
     frozenset({"Info", "Items"})),
    ("y", "copy the id (Y: the portal link)", frozenset({"Copy id", "Copy fix", "Copy JSON", "Copy code"})),
    ("r", "refresh / run again (as ctrl+r)", frozenset({"Refresh", "Reload", "Retry", "Run again", "New code",
                                                       "Reload theirs", "Recheck"})),
    ("ctrl+r", "refresh, everywhere (DLZ: retry the deployment)", frozenset({"Refresh", "Reload", "Recheck", "Retry"})),
    ("esc", "back / close / cancel", frozenset({"Back", "Close", "Cancel", "Skip", "Keep tenant", "Quit"})),
)

# screens that ask one yes/no question answer it with y / n (and enter / esc), whatever y and n
# mean elsewhere: the resume offer after a dropped connection
QUESTIONS = frozenset({"ResumeOffer"})

# the keys above as Textual names them
TEXTUAL_KEY = {"/": "slash", "esc": "escape"}


def allowed(key: str) -> frozenset[str] | None:
    """The descriptions a binding on ``key`` (Textual's name) may carry; None: not a vocabulary key."""
    for shown, _, descriptions in VOCABULARY:
        if TEXTUAL_KEY.get(shown, shown) == key:
            return descriptions
    return None
