"""SQLAlchemy models, one module per aggregate."""

# Their session hook keeps the revenue series, then the sums.
from . import retention_recounts as retention_recounts
from .account_churn import AccountChurn
from .account_revenue import AccountRevenue
from .accounts import Account
from .audit import AuditEntry
from .batches import Batch, BatchFile, BatchItem
from .clauses import (
    CancellationClause,
    FnbClause,
    MeetingRoomClause,
    RebookingClause,
    RebookingWindowRow,
    RoomAttritionClause,
    ScaleStep,
    ScheduleStep,
    ServiceClause,
)
from .complaints import Complaint
from .contract_rebookings import ContractRebooking
from .contract_revenue import ContractRevenue
from .contracts import BlockNight, BlockRevision, Contract, ReviewDate
from .credits import AccountCredit, CreditChain, CreditEntry
from .disputes import Dispute, DisputeAttachment, DisputeMessage, PropertyOccupancy
from .followups import FollowUp
from .guest_links import GuestLink, GuestLinkView
from .invoices import Invoice, InvoicePdf, InvoiceSeries, Payment, PaymentChain
from .mail import OutgoingMail
from .pickup import RevenueSnapshot, RoomNightSnapshot
from .pickup_sources import PickupImportRecord, PickupSourceMapping, RoomTypeAlias
from .pickup_statements import InvoiceStatement, PickupStatement, StatementReply
from .properties import Property
from .reasons import Reason
from .reconciliations import Reconciliation, ReconciliationPair
from .retention_tallies import DailyTally, MonthlyTally, RetentionInputs
from .settlement_decisions import DecisionReview, SettlementDecision
from .settlements import StoredSettlement
from .surveys import SurveyAnswer
from .users import ApiToken, LoginAttempt, LoginThrottle, User, user_properties

__all__ = [
    "Account",
    "AccountChurn",
    "AccountCredit",
    "AccountRevenue",
    "ApiToken",
    "AuditEntry",
    "Batch",
    "BatchFile",
    "BatchItem",
    "BlockNight",
    "BlockRevision",
    "CancellationClause",
    "Complaint",
    "Contract",
    "ContractRebooking",
    "ContractRevenue",
    "CreditChain",
    "CreditEntry",
    "DailyTally",
    "DecisionReview",
    "Dispute",
    "DisputeAttachment",
    "DisputeMessage",
    "FnbClause",
    "FollowUp",
    "GuestLink",
    "GuestLinkView",
    "Invoice",
    "InvoicePdf",
    "InvoiceSeries",
    "InvoiceStatement",
    "LoginAttempt",
    "LoginThrottle",
    "MeetingRoomClause",
    "MonthlyTally",
    "OutgoingMail",
    "Payment",
    "PaymentChain",
    "PickupImportRecord",
    "PickupSourceMapping",
    "PickupStatement",
    "Property",
    "PropertyOccupancy",
    "Reason",
    "RebookingClause",
    "RebookingWindowRow",
    "Reconciliation",
    "ReconciliationPair",
    "RetentionInputs",
    "RevenueSnapshot",
    "ReviewDate",
    "RoomAttritionClause",
    "RoomNightSnapshot",
    "RoomTypeAlias",
    "ScaleStep",
    "ScheduleStep",
    "ServiceClause",
    "SettlementDecision",
    "StatementReply",
    "StoredSettlement",
    "SurveyAnswer",
    "User",
    "user_properties",
]
