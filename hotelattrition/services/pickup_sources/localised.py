"""es: Spanish per-night exports re-saved by Excel (UTF-8 with BOM, `;`, dd/mm/yyyy).

Counts may carry a decimal comma and `.` thousands; `Habitaciones` is the pickup and
`Bloqueadas` the block; a trailing row of bare separators is nothing.
"""

from .columns import ColumnSource

SOURCE = ColumnSource(
    name="es",
    fields={
        "contract_code": ("codigo_grupo", "codigo_de_grupo", "grupo", "codigo_bloqueo"),
        "night": ("fecha", "noche"),
        "room_type": ("tipo_de_habitacion", "tipo_habitacion"),
        "rooms": ("habitaciones", "ocupadas"),
        "block": ("bloqueadas", "bloqueo"),
    },
    required=("contract_code", "night", "room_type", "rooms"),
    order="dmy",
    decimal_comma=True,
)
