"""Every action and block ID the bot sends to Slack, written once."""

ANSWER_HELPFUL = "answer_helpful"
ANSWER_NOT_HELPFUL = "answer_not_helpful"
FEEDBACK_BLOCK = "answer_feedback"
ANSWER_WORKFLOWS = "answer_workflows"
SHOW_POLICY_TEXT = "show_policy_text"

# /request-access: the form, its fields (block IDs; each input's action ID is the same), and the buttons.
REQUEST_FORM = "request_access_form"
REQUEST_FIELDS = ("kind", "purpose", "platform", "account", "audience", "pupils", "consent", "devices",
                  "starts_on", "ends_on")
OPEN_REQUEST_FORM = "open_request_form"
APPROVE_REQUEST = "approve_request"
DENY_REQUEST = "deny_request"
DENY_REASON_FORM = "deny_reason_form"
DENY_REASON = "note"
WITHDRAW_REQUEST = "withdraw_request"
END_PERMISSION = "end_permission"
SHOW_PERMISSION = "show_permission"

# /report-harassment: the two forms, the handlers' buttons, and their modals.
REPORT_FORM = "report_harassment_form"
CONTACT_FORM = "record_contact_form"
OPEN_REPORT_FORM = "open_report_form"
OPEN_CONTACT_FORM = "open_contact_form"
ACKNOWLEDGE_CASE = "acknowledge_case"
ADD_CASE_NOTE = "add_case_note"
CLOSE_CASE = "close_case"
CASE_NOTE_FORM = "case_note_form"
CASE_CLOSE_FORM = "case_close_form"
CASE_NOTE = "note"
CASE_OUTCOME = "outcome"

# Reminders: read and acknowledge, and the end of a permission.
ACKNOWLEDGE_POLICY = "acknowledge_policy"
RENEW_REQUEST = "renew_request"
CONFIRM_REMOVED = "confirm_contact_removed"
