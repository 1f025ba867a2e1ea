"""Customer care: complaints on contracts, follow-ups on accounts, accounts lost and won back."""
