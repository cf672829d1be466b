"""Every write to sessions, agendas and minutes. One module per concept:

- ``core``: creating sessions and agenda items, state transitions, the minutes lock;
- ``planning``: planning a session with its standing agenda, editing the agenda, invitations;
- ``minutes``: attendance, results with optimistic locking, circulation, comments, approval,
  publication and errata;
- ``documents``: the published PDFs stored once (minutes, invitation), after the commit of the write
  that publishes or changes them.
"""

from werkstatt.meetings.services.core import (
    PresenterInput,
    agenda_item_create,
    agenda_item_set_result,
    ensure_minutes_editable,
    meeting_create,
    meeting_minutes_transition,
    meeting_transition,
)
from werkstatt.meetings.services.minutes import (
    ResultConflict,
    agenda_item_save_result,
    erratum_add,
    meeting_file_upload,
    meeting_set_attendance,
    minutes_approve,
    minutes_circulate,
    minutes_comment_add,
    minutes_publish,
)
from werkstatt.meetings.services.planning import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    meeting_cancel,
    meeting_invite,
    meeting_mark_held,
    meeting_plan,
    meeting_update,
    presenter_add,
    presenter_add_new_person,
    presenter_remove,
)

__all__ = [
    "PresenterInput",
    "ResultConflict",
    "agenda_item_add",
    "agenda_item_create",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_save_result",
    "agenda_item_set_result",
    "agenda_item_update",
    "ensure_minutes_editable",
    "erratum_add",
    "meeting_cancel",
    "meeting_create",
    "meeting_file_upload",
    "meeting_invite",
    "meeting_mark_held",
    "meeting_minutes_transition",
    "meeting_plan",
    "meeting_set_attendance",
    "meeting_transition",
    "meeting_update",
    "minutes_approve",
    "minutes_circulate",
    "minutes_comment_add",
    "minutes_publish",
    "presenter_add",
    "presenter_add_new_person",
    "presenter_remove",
]
