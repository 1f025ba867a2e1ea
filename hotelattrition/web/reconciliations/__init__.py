"""Outside-block reconciliation on a contract: upload the two lists, review the matches, confirm."""
