"""Names of idea statuses, in the reader's language."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "under-consideration": _l("Under consideration"),
    "adopted": _l("Adopted"),
    "partly-adopted": _l("Partly adopted"),
    "not-adopted": _l("Not adopted"),
    "already-planned": _l("Already planned"),
    "in-execution": _l("Being carried out"),
    "done": _l("Done"),
}
