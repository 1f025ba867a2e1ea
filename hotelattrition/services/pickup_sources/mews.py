"""mews-reservations: Mews Connector API reservations (getAll) flattened to CSV, one per space.

`StartUtc` and `EndUtc` are UTC instants: each is dated in the property's time zone before
its date is taken (15:00 on 8 June in Honolulu is 01:00Z on 9 June, the night of 8 June).
States Confirmed, Started and Processed count. The group's sales code is the availability
block's external identifier; room types are the resource category names.
"""

from .columns import ColumnSource

SOURCE = ColumnSource(
    name="mews-reservations",
    fields={
        "contract_code": (
            "availability_block_external_identifier",
            "block_external_identifier",
            "external_identifier",
        ),
        "arrival": ("start_utc", "scheduled_start_utc"),
        "departure": ("end_utc", "scheduled_end_utc"),
        "room_type": (
            "requested_resource_category_name",
            "resource_category_name",
            "resource_category",
            "space_category",
        ),
        "status": ("state",),
    },
    required=("contract_code", "arrival", "departure", "room_type", "status"),
    span="stay",
    per_reservation=True,
    statuses=frozenset({"confirmed", "started", "processed"}),
    instants=True,
    one_room=True,
)
