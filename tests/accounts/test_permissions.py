"""Who may open which page and do which action: the permission matrix of the roles.

The users hold the demo groups the roles migration creates (Support agents, Store managers,
Auditors); the superuser holds none, and the plain user is signed in with no permission at all.
"""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from customers.audit.models import Action, AuditEntry, Outcome
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

AARAV = 5000001
MOBILE = "919999000001"
ROLES = ("agent", "manager", "auditor", "superuser", "plain")
INSTORE_LOOKUP = "/lookup/?" + urlencode(
    {"source": "INSTORE", "identifierName": "mobile", "identifierValue": "919999000001"}
)
WECHAT_LOOKUP = "/lookup/?" + urlencode(
    {
        "source": "WECHAT",
        "accountId": "wechat-cn-01",
        "identifierName": "mobile",
        "identifierValue": "919999000011",
    }
)
CUSTOMER = f"/customers/{AARAV}/"

# (method, path): the status each role gets, in ROLES order. A redirect after a lookup (303) or
# a POST (302) is "allowed" (it goes on to the page); 403 is the refusal page.
MATRIX: list[tuple[str, str, tuple[int, ...]]] = [
    ("get", "/", (200, 200, 302, 200, 403)),
    ("get", INSTORE_LOOKUP, (303, 303, 403, 303, 403)),
    ("get", WECHAT_LOOKUP, (303, 403, 403, 303, 403)),
    ("get", CUSTOMER, (200, 200, 403, 200, 403)),
    ("get", CUSTOMER + "programs/", (200, 200, 403, 200, 403)),
    ("get", CUSTOMER + "cards/", (200, 200, 403, 200, 403)),
    ("get", CUSTOMER + "currencies/", (200, 200, 403, 200, 403)),
    ("get", CUSTOMER + "tiers/", (200, 200, 403, 200, 403)),
    ("get", CUSTOMER + "tiers/?days=30", (200, 200, 403, 200, 403)),
    ("get", CUSTOMER + "profile/", (200, 200, 403, 200, 403)),
    ("get", CUSTOMER + "raw/", (200, 403, 403, 200, 403)),
    ("post", CUSTOMER + "refresh/", (302, 302, 403, 302, 403)),
    ("post", CUSTOMER + "reveal/", (302, 403, 403, 302, 403)),
    ("get", CUSTOMER + "history/", (200, 200, 200, 200, 200)),
    ("get", "/my-lookups/", (200, 200, 200, 200, 200)),
    ("get", "/admin/", (302, 302, 200, 200, 302)),
]


def make_user(role: str) -> User:
    """A user of one role, set up like the demo_users command does."""
    if role == "superuser":
        return User.objects.create_superuser("superuser")
    group = {"agent": "Support agents", "manager": "Store managers", "auditor": "Auditors"}
    user = User.objects.create_user(role, is_staff=role == "auditor")
    if role in group:
        user.groups.add(Group.objects.get(name=group[role]))
    return user


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


@pytest.mark.parametrize(
    ("method", "path", "role", "status"),
    [
        (method, path, role, statuses[index])
        for method, path, statuses in MATRIX
        for index, role in enumerate(ROLES)
    ],
)
def test_the_permission_matrix(sandbox, method, path, role, status):
    """Each role on each page and action is allowed or refused as the role table says."""
    client = signed_in(role)
    data = {"field": "mobile"} if path.endswith("reveal/") else {}

    response = getattr(client, method)(path, data)

    assert response.status_code == status
    if status == 403:
        assert parse(response.content).find("h1").text == "Not allowed"


@pytest.mark.parametrize("method, path, _", MATRIX)
def test_signed_out_visitors_are_sent_to_the_login_page(sandbox, method, path, _):
    """Every page and action asks an anonymous visitor to sign in first."""
    response = getattr(Client(), method)(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith(
        "/admin/login/"
    )


def test_an_auditor_opening_the_search_is_sent_to_the_audit_list(sandbox):
    """`/` redirects a staff auditor to the audit entries; an auditor who is not staff (no admin
    to go to) still gets the 403 page."""
    auditor = signed_in("auditor")
    response = auditor.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/customers/auditentry/"
    assert auditor.get(response["Location"]).status_code == 200

    outsider = User.objects.create_user("outsider")
    outsider.groups.add(Group.objects.get(name="Auditors"))
    client = Client()
    client.force_login(outsider)
    assert client.get("/").status_code == 403


def test_the_403_page_names_the_missing_permission_and_who_grants_it(sandbox):
    """An auditor on a customer page is told they cannot look up customers and which group
    can, with a link to the admin."""
    refusal = parse(signed_in("auditor").get(CUSTOMER).content).find("div", class_="forbidden")

    assert "permission to look up customers" in refusal.find("p", class_="failure-message").text
    assert "Support agents or Store managers" in refusal.text
    assert refusal.find("a", href="/admin/").text == "Go to the admin"


def test_the_raw_document_needs_the_unmasked_pii_permission_too(sandbox):
    """The raw answer is not masked: a group composed with the raw permission but without
    unmasked PII gets no Raw tab and a 403 naming the missing permission."""
    group = Group.objects.create(name="Raw readers")
    group.permissions.set(
        Permission.objects.filter(codename__in=["lookup_customer", "view_raw_response"])
    )
    user = User.objects.create_user("raw-reader")
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    client.get(f"/lookup/?source=INSTORE&identifierName=mobile&identifierValue={MOBILE}")

    overview = parse(client.get(CUSTOMER).content)
    raw = client.get(CUSTOMER + "raw/")

    tabs = [a["href"] for a in overview.find("nav", class_="customer-tabs").find_all("a")]
    assert CUSTOMER + "cards/" in tabs and CUSTOMER + "raw/" not in tabs
    assert raw.status_code == 403
    assert "see unmasked names, mobiles and emails" in raw.content.decode()


def test_a_store_manager_is_told_which_sources_they_may_use(sandbox):
    """A refused source names the sources the role may search in, and is audited."""
    response = signed_in("manager").get(WECHAT_LOOKUP)
    html = response.content.decode()

    assert response.status_code == 403
    assert "source WECHAT" in html and "INSTORE" in html
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.source) == (
        Action.LOOKUP,
        Outcome.FORBIDDEN,
        "WECHAT",
    )


def test_a_store_manager_only_sees_their_sources_in_the_form(sandbox):
    """The source select offers STORE_MANAGER_SOURCES only."""
    source = parse(signed_in("manager").get("/").content).find("select", name="source")

    options = source.find_all("option")
    assert [(o["value"], "selected" in o.attrs) for o in options] == [("INSTORE", True)]


def test_refused_lookups_and_customer_pages_are_audited_as_forbidden(sandbox):
    """An auditor trying a lookup and a customer page leaves two forbidden entries."""
    client = signed_in("auditor")
    client.get(INSTORE_LOOKUP)
    client.get(CUSTOMER + "raw/")

    entries = AuditEntry.objects.order_by("created_at", "id")
    assert [(e.action, e.outcome) for e in entries] == [
        (Action.LOOKUP, Outcome.FORBIDDEN),
        (Action.RAW_VIEW, Outcome.FORBIDDEN),
    ]
    assert entries[0].identifiers == [{"name": "mobile", "value": "91******0001"}]


def test_a_store_manager_sees_pii_masked_and_cannot_reveal(sandbox):
    """No unmasked PII and no reveal for store managers, even with the org default on."""
    sandbox.PII_UNMASKED_BY_DEFAULT = True
    client = signed_in("manager")
    client.get(INSTORE_LOOKUP)

    context = client.get(CUSTOMER).context

    assert context["pii_unmasked"] is False
    assert context["can_reveal"] is False and context["can_see_raw"] is False
    assert "919999000001" not in client.get(CUSTOMER + "profile/").content.decode()


def test_posts_need_a_csrf_token(sandbox):
    """Refresh and reveal are POSTs protected by CSRF like every other form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("agent"))

    assert client.post(CUSTOMER + "reveal/", {"field": "mobile"}).status_code == 403
    assert client.post(CUSTOMER + "refresh/").status_code == 403
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


def test_a_get_of_refresh_or_reveal_changes_nothing_and_shows_the_customer(sandbox):
    """Actions act on POST only. Signing in again after a timeout on a Refresh or Reveal click
    brings a GET of the action: it goes to the customer's page (no blank 405), with nothing
    fetched, revealed or audited."""
    client = signed_in("agent")

    for action in ("refresh/", "reveal/?field=mobile"):
        response = client.get(CUSTOMER + action)
        assert (response.status_code, response["Location"]) == (302, CUSTOMER)
    assert "revealed" not in client.session
    assert not AuditEntry.objects.exists()
    assert client.put(CUSTOMER + "refresh/").status_code == 405


def test_signing_in_again_after_a_timeout_on_refresh_lands_on_the_customer(sandbox):
    """The login page's `next` is the refresh URL: after signing in, a page that asks to open
    the member (the link that led to the sign-in may have come from another site), whose link
    leads to the customer's page."""
    User.objects.create_user("agent-again", password="pw-agent-again-1").groups.add(
        Group.objects.get(name="Support agents")
    )
    client = Client()
    to_login = client.post(CUSTOMER + "refresh/")
    assert to_login["Location"].startswith("/accounts/login/?next=")

    response = client.post(
        to_login["Location"],
        {"username": "agent-again", "password": "pw-agent-again-1"},
        follow=True,
    )

    assert response.redirect_chain[-1] == (CUSTOMER + "refresh/?confirm=1", 302)
    assert b"Open this member" in response.content
    opened = client.get(CUSTOMER + "refresh/", follow=True)
    assert opened.redirect_chain[-1] == (CUSTOMER, 302)


def test_a_store_manager_cannot_open_pages_of_a_source_they_may_not_use(sandbox):
    """With STORE_MANAGER_SOURCES=MARTJACK a page or refresh whose query is INSTORE (looked up
    before the setting changed) is the 403 page naming the sources, audited as forbidden, like
    an INSTORE lookup; a deep link to a customer never looked up is refused too."""
    sandbox.STORE_MANAGER_SOURCES = ["INSTORE"]
    client = signed_in("manager")
    assert client.get(INSTORE_LOOKUP).status_code == 303
    sandbox.LOOKUP_CACHE_SECONDS = 0
    sandbox.STORE_MANAGER_SOURCES = ["MARTJACK"]

    lookup = client.get(INSTORE_LOOKUP)
    page = client.get(CUSTOMER)
    tiers = client.get(CUSTOMER + "tiers/?days=30")
    refresh = client.post(CUSTOMER + "refresh/")
    never_looked_up = client.get("/customers/5000002/")

    assert lookup.status_code == page.status_code == tiers.status_code == 403
    assert refresh.status_code == 403
    assert "MARTJACK" in page.content.decode()
    refused = AuditEntry.objects.filter(outcome=Outcome.FORBIDDEN, source="INSTORE")
    assert refused.count() == 5
    assert refused.filter(action=Action.VIEW_SECTION, customer_id=str(AARAV)).count() == 3
    # MARTJACK needs an accountId only a lookup tells: a deep link is refused before any call.
    assert never_looked_up.status_code == 403
    assert refused.filter(customer_id="5000002").exists()
