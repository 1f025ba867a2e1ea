"""A contract's statuses and the groups of them the reports count by."""

STATUSES = ("tentative", "definite", "cancelled", "settled", "lost")
# Statuses that say why the business went: each needs a reason from the "lost_business" list.
LOST_STATUSES = ("lost", "cancelled")
# Stays that take place: signed and not cancelled (a settled one is a definite one settled).
HELD_STATUSES = ("definite", "settled")
# Signed at some point: held, or cancelled after signing.
SIGNED_STATUSES = (*HELD_STATUSES, "cancelled")
