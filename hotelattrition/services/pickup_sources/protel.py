"""protel-kontingent: protel's allotment overview (Kontingent) as Excel saves it.

Windows-1252, `;`, CRLF, dates dd.mm.yyyy. One row per date range `von` ... `bis`, where
`bis` is the last night (inclusive), not a departure; `abgerufen` is picked up on every
night of the range and `Zimmer` the block.
"""

from .columns import ColumnSource

SOURCE = ColumnSource(
    name="protel-kontingent",
    fields={
        "contract_code": ("kontingent", "kontingentnummer", "kontingent_nr", "code"),
        "arrival": ("von",),
        "departure": ("bis",),
        "room_type": ("kategorie", "zimmerkategorie"),
        "rooms": ("abgerufen",),
        "block": ("zimmer", "anzahl_zimmer"),
    },
    required=("contract_code", "arrival", "departure", "room_type", "rooms"),
    span="range",
    order="dmy",
    decimal_comma=True,
)
