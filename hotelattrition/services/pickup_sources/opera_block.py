"""opera-block-api: OPERA Cloud's getBlockAllocationSummary (OHIP Block API) flattened to CSV.

One row per block, allocation date and room type: `allocationDate` is a date-time whose date
is the night; `pickupRooms` is the pickup and `currentRooms` the block as the PMS holds it.
"""

from .columns import ColumnSource

SOURCE = ColumnSource(
    name="opera-block-api",
    fields={
        "contract_code": ("block_code",),
        "night": ("allocation_date", "stay_date"),
        "room_type": ("room_type", "inv_room_type", "room_type_code"),
        "rooms": ("pickup_rooms", "picked_up_rooms"),
        "block": ("current_rooms", "current_block_rooms"),
    },
    required=("contract_code", "night", "room_type", "rooms", "block"),
)
