"""Words the templates translate at run time (_(status) and the like), listed so that
`make translations` extracts them; and the document's problem messages, shown on forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DYNAMIC = (
    # contract statuses
    _l("tentative"), _l("definite"), _l("cancelled"), _l("settled"),
    # settlement statuses
    _l("attrition"), _l("no_damages"),
    # block revision reasons
    _l("signed"), _l("edit"), _l("review"), _l("cutoff"), _l("import"),
    # audit actions
    _l("create"), _l("replace_terms"), _l("edit_dates"), _l("record_actuals"),
    _l("block_review"), _l("block_cutoff"), _l("void"), _l("convert"),
    # roles
    _l("admin"), _l("accounting"), _l("sales"), _l("viewer"),
    # settlement decisions and lost business (issue 16): the status, the role, the audit's
    # actions and the services' problems, shown next to their fields
    _l("lost"), _l("manager"), _l("decide_collect"), _l("decide_waive"), _l("approve_waiver"),
    _l("refuse_waiver"), _l("lost_business"),
    _l("nothing is owed: there is nothing to decide"),
    _l("the damages are known once the stay is over"),
    _l("a part is waived on the invoice's lines: issue it first"),
    _l("a decision stands already: one per settlement"), _l("at most 1000 characters"),
    _l("say why the waiver is refused"), _l("choose a reason from the list"),
    _l("only a manager or an admin approves waivers"), _l("this waiver was reviewed already"),
    _l("unknown line"), _l("credited already"),
    _l("only a tentative group is lost; a signed one is cancelled"),
    # credits (issue 16): the audit's actions
    _l("grant_waiver_credit"), _l("release_held"),
    # the hotel's occupancy page (issue 19): the audit's action
    _l("record_occupancy"),
)  # fmt: skip

# The settlement document's problem messages with no figures in them (see domain/codec.py).
DOCUMENT_PROBLEMS = (
    _l("required"), _l("unknown key"), _l("must be an object"), _l("must be a list"),
    _l("must be a decimal string"), _l("at most 4 decimal places"),
    _l("at most 12 digits before the point"), _l("must be >= 0"),
    _l("must be between 0 and 100"), _l("must be a whole number"),
    _l("must be true or false"), _l("must be a date YYYY-MM-DD"),
    _l("must be a non-empty string"), _l("must be after arrival"), _l("unknown currency"),
    _l("duplicate night and room type"), _l("duplicate night"), _l("duplicate service name"),
    _l("duplicate min_days"), _l("duplicate min_pickup_pct"), _l("must have at least one row"),
    _l("must be average, lowest, highest or a decimal string"), _l("not valid JSON"),
    _l("already exists: choose another code"), _l("must be a percentage from 0 to 100"),
    _l("must be a whole number >= 0"), _l("must be an amount >= 0, at most 4 decimal places"),
    _l("must not be negative"),
    # the codec's bounds (domain/limits.py): literal here so that extraction finds them
    _l("duplicate key"), _l("the stay may be at most 366 nights"),
    _l("must be from 2000-01-01 to 2100-12-31"),
    _l("not a currency of money (a test, metal or fund code)"),
    _l("at most 20 characters"), _l("at most 40 characters"), _l("at most 200 characters"),
    # the rebooking clause's windows
    _l("must be between 1 and 120"), _l("duplicate months"), _l("at most 12 rows"),
    # the contract's dispute window (services/contracts.py)
    _l("must be a whole number of days, 0 to 365"),
)  # fmt: skip

# The account, property and user forms' problems found by their services (services/accounts.py,
# services/properties.py, services/users.py, domain/tax_ids.py).
OFFICE_PROBLEMS = (
    _l("another account has this name"), _l("unknown country code"),
    _l("not a valid NIF"), _l("not a valid RFC"), _l("not a valid EIN"), _l("not a valid VAT"),
    _l("not a valid IBAN"), _l("must be an e-mail address"),
    _l("digits, spaces and + ( ) . / - only"), _l("an account cannot be its own parent"),
    _l("unknown account"), _l("this account is already above the chosen parent"),
    _l("too many levels of parent accounts"), _l("at most 50 characters"),
    _l("at most 42 characters"), _l("at most 500 characters"), _l("at most 254 characters"),
    _l("at most 1000 characters"), _l("fixed once the property has contracts"),
    _l("8 or 11 letters and digits"), _l("codes of capital letters, digits, '_' or '-'"),
    _l("unknown title"), _l("at most 365 days"),
    _l("must be a percentage from 0 to 100, at most 4 decimal places"),
    _l("you cannot change your own role"), _l("you cannot deactivate yourself"),
    _l("another property has this code"),
    _l("capital letters, digits, '_' or '-', at most 20"),
    _l("English (en) or Spanish (es)"),
)  # fmt: skip
