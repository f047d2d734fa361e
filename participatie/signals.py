"""The signals plugins may connect to.

Each is sent inside the transaction of the event, before it is committed.
Receivers get the app as sender and the keyword arguments named here; they may
add rows to ``db.session`` (a notification, a moved vote) and must not commit,
so the event and everything it causes are committed together or not at all.
"""

from blinker import Namespace

_signals = Namespace()

#: A facilitator merged ``duplicate`` into ``kept``. Plugins that keep rows
#: per idea (votes, comments) move theirs. Keywords: ``duplicate``, ``kept``.
ideas_merged = _signals.signal("ideas-merged")

#: The framing or the phases of a public ``process`` changed, or it was
#: published, closed or reopened. Plugins that keep a promise per row (the
#: answer deadline of each idea) bring it forward here, never back.
#: Keywords: ``process``.
framing_changed = _signals.signal("framing-changed")

#: ``flask ideas import-polis`` made (or found) the ideas of a Polis
#: conversation export in ``folder`` (a ``Path``); ``ideas`` maps each Polis
#: comment id to its idea id. The votes plugin imports the agree votes as
#: supports and returns ``{"participants": n, "votes_created": n}``, which the
#: command adds to its report. Keywords: ``process``, ``folder``, ``ideas``.
polis_imported = _signals.signal("polis-imported")
