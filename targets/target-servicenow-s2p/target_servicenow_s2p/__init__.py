"""target-servicenow-s2p: ERP AP/procurement streams into ServiceNow Source-to-Pay staging tables."""
