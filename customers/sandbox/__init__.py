"""The embedded Capillary API: a demo org and its members, answered in-process or over HTTP
through the same views, so the app runs and is tested end to end with no backend of its own."""
