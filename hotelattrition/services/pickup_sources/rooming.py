"""opera-rooming-list: OPERA's group rooming list, one row per reservation.

`Conf. No.`, `Name` (Last, First: never kept), `Arrival`, `Departure`, `Nts.`, `Room Type`,
`Rooms`, `Status`, `Block Code`, `Sharer`. Only RESERVED rows count; each adds its rooms
(a sharer's row has 0, a reservation may hold several) to every night from arrival to the
night before departure, so a day-use row (arrival = departure) adds nothing.
"""

from .columns import ColumnSource

SOURCE = ColumnSource(
    name="opera-rooming-list",
    fields={
        "contract_code": ("block_code", "block"),
        "arrival": ("arrival", "arrival_date", "arr"),
        "departure": ("departure", "departure_date", "dep"),
        "room_type": ("room_type", "rtc", "room_type_to_charge"),
        "rooms": ("rooms", "no_of_rooms", "number_of_rooms"),
        "status": ("status", "reservation_status", "res_status"),
    },
    required=("contract_code", "arrival", "departure", "room_type", "rooms", "status"),
    span="stay",
    per_reservation=True,
    statuses=frozenset({"reserved"}),
)
