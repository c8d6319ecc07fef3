"""What the pages say: sentences, figures and labels computed from the typed records, for the
templates to print. Knows nothing of requests, views or services."""
