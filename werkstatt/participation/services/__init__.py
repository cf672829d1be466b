"""Every write of the participation: one function each, keyword-only, one transaction, side effects after commit."""
