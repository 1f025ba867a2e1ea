"""Tax ids and bank accounts checked by their published rules (python-stdnum), per country.

Spain: NIF (DNI, NIE or CIF); Mexico: RFC; United States: EIN; other EU countries: the VAT
number. Elsewhere the id is kept as typed, bounded: the app knows no rule to check it by.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from stdnum import iban
from stdnum.es import nif
from stdnum.eu import vat
from stdnum.exceptions import ValidationError
from stdnum.mx import rfc
from stdnum.us import ein

TAX_ID_MAX = 50
IBAN_MAX = 42  # 34 characters, spaced in groups of four
# The EU's VAT countries as ISO 3166 codes (Greece's VAT prefix is EL, its ISO code GR).
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


@dataclass(frozen=True)
class TaxIdRule:
    label: str  # the name printed before the id: NIF, RFC, EIN, VAT
    module: ModuleType | None


RULES: dict[str, TaxIdRule] = {
    "ES": TaxIdRule("NIF", nif),
    "MX": TaxIdRule("RFC", rfc),
    "US": TaxIdRule("EIN", ein),
}
VAT = TaxIdRule("VAT", vat)
FREE = TaxIdRule("", None)


def tax_id_rule(country: str) -> TaxIdRule:
    """The rule for a country's tax ids (FREE, with no label, where the app knows none)."""
    country = (country or "").upper()
    if country in RULES:
        return RULES[country]
    return VAT if country in EU_COUNTRIES else FREE


def tax_id_label(country: str) -> str:
    """NIF, RFC, EIN or VAT; "" where the country has no known rule (say "Tax ID" then)."""
    return tax_id_rule(country).label


def check_tax_id(country: str, value: str) -> tuple[str, str | None]:
    """The id in its standard form and None, or the text as typed and why it is refused."""
    text = " ".join(value.split())
    if not text:
        return "", None
    if len(text) > TAX_ID_MAX:
        return text, f"at most {TAX_ID_MAX} characters"
    rule = tax_id_rule(country)
    if rule.module is None:
        return text, None
    candidate = text
    if rule is VAT and not candidate[:2].isalpha():
        # A VAT number typed without its prefix belongs to the account's country.
        candidate = ("EL" if country.upper() == "GR" else country.upper()) + candidate
    try:
        return rule.module.validate(candidate), None
    except ValidationError:
        return text, f"not a valid {rule.label}"


def check_iban(value: str) -> tuple[str, str | None]:
    """The IBAN in groups of four and None, or the text as typed and why it is refused."""
    text = " ".join(value.split())
    if not text:
        return "", None
    if len(text) > IBAN_MAX:
        return text, f"at most {IBAN_MAX} characters"
    try:
        return iban.format(iban.validate(text)), None
    except ValidationError:
        return text, "not a valid IBAN"
