"""The search: the form and its one box, the services that call Capillary for a user (sources,
rate limit, cache), and the views of the lookup and of a member's pages."""
