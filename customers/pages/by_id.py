"""What a page fetched by customer id cannot show of what was asked: that call takes fewer blocks,
no gaps and no source (LookupQuery.by_id)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from customers.capillary.query import GAP_TO_RENEW, GAP_TO_UPGRADE, SOURCE

# What a page fetched by id lacks, for each part of its query that call does not take.
_LEFT_OUT: Mapping[str, Promise] = {
    "alternateCurrencies": gettext_lazy("alternate currencies"),
    "customerStatus": gettext_lazy("customer status"),
    "cardLoyaltyDetails": gettext_lazy("card loyalty details"),
    "fleetParentDetails": gettext_lazy("fleet parent details"),
}


def left_out_notice(left_out: Collection[str], source: str = "") -> str:
    """What a page fetched by id cannot show of what was asked (see LookupQuery.by_id), "" when
    nothing that matters was left out."""
    missing = [str(_LEFT_OUT[key]) for key in left_out if key in _LEFT_OUT]
    if GAP_TO_UPGRADE in left_out and GAP_TO_RENEW in left_out:
        missing.append(_("gaps to upgrade and renew"))
    elif GAP_TO_UPGRADE in left_out:
        missing.append(_("gaps to upgrade"))
    elif GAP_TO_RENEW in left_out:
        missing.append(_("gaps to renew"))
    sentences = []
    if missing:
        listed = missing[-1]
        if len(missing) > 1:
            # Translators: the last two of a list of what a call returns none of ("a, b or c").
            listed = _("%(items)s or %(last)s") % {
                "items": pgettext("list separator", ", ").join(missing[:-1]),
                "last": listed,
            }
        # Translators: %(listed)s lists blocks ("alternate currencies or gaps to renew").
        sentences.append(
            _(
                "This answer came by customer id, and Capillary's call for that returns no "
                "%(listed)s: look the member up again to see them."
            )
            % {"listed": listed}
        )
    if SOURCE in left_out:
        if source:
            # Translators: %(source)s is Capillary's code for a source (INSTORE), as it is.
            sentence = _(
                "That call does not take the source %(source)s: it asked for every source's "
                "profiles."
            ) % {"source": source}
        else:
            sentence = _(
                "That call does not take the source searched: it asked for every source's "
                "profiles."
            )
        sentences.append(sentence)
    if len(sentences) == 2:
        # Translators: two sentences, one after the other.
        return _("%(sentence)s %(advice)s") % {"sentence": sentences[0], "advice": sentences[1]}
    return "".join(sentences)
