"""What the pages say: sentences, figures and labels computed from the typed records, for the
templates to print. Knows nothing of requests, views or services.

Everything here is plain text (the template engine escapes it), formatted in the active locale
and time zone, and tolerant of absent figures: a missing number never becomes a zero. Every
state of points and currencies is named through the glossary. One module per page part:

    numbers           figures and dates in the locale; `shown`, the one masking decision
    tabs              SECTIONS, a customer's pages in tab order, and the tab bar
    glossary          the words for every state of points and currencies, and identifier types
    renewal           how a program's renewal conditions combine, where the org has said
    gaps              sentences on the gaps to upgrade and renew, quantities, strategy kinds
    labels            the Label cells of tiers, cards, channels, subscriptions, promotions
    programs          points and currencies by state, the tier ladder, the points headline
    profile           which profile is the member's, and the member's facts read from it
    heading           the name and badges atop every customer page
    backend_warnings  the backend's warnings in plain language
    overview          per-program answers, what needs attention, the next expiry
    summary           the plain-text summary for a ticket
    by_id             what a page fetched by customer id could not carry
    photo             whether the member's photo may be shown
    not_found         what a search that found no one should try next
    cards             a page of a member's cards, filtered and sorted
"""
