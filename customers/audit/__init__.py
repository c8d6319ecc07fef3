"""The audit trail: the one audited request path, the append-only model and its single writer,
the hash chain, the signed exports, and the auditor's pages and read-only admin."""
