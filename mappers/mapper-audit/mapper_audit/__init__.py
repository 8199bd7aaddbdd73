"""mapper-audit: an audit record per record, warehouse-exact decimals, failures to the dead-letter queue."""
