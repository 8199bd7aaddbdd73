"""tap-ledger-replay: re-emit open ledger entries for a replay."""
