"""generic: today's format, one row per contract code, night, room type and rooms."""

from .columns import ColumnSource

SOURCE = ColumnSource(
    name="generic",
    fields={
        "contract_code": ("contract_code", "group_code", "block_code"),
        "night": ("night", "stay_date", "date"),
        "room_type": ("room_type",),
        "rooms": ("rooms", "room_nights", "picked_up"),
    },
    required=("contract_code", "night", "room_type", "rooms"),
)
