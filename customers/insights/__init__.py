"""Audit insights: daily roll-ups of the trail, the auditor's figures and signals, charts,
business hours, and the e-mailed report's content."""
