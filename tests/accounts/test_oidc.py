"""Signing in with the company's identity provider, against a real one on loopback.

The provider is Node's oidc-provider (tests/oidc/server.mjs) with users in groups; these tests
drive its sign-in page over HTTP and the app through Django's test client. The browser tests
(tests/accounts/test_browser_sign_in.py) do the same in Chromium.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from customers.audit.models import NO_USERNAME, Action, AuditEntry
from tests.faultserver import refused_url
from tests.html_tree import parse
from tests.oidcprovider import EXPIRED, WRONG_AUDIENCE, path_of

pytestmark = pytest.mark.django_db

COMPANY = "by company sign-in"


def start(client: Client, next_url: str = "") -> str:
    """Presses the company sign-in button: the provider's authorize URL the app redirects to."""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    response = client.get(f"/accounts/oidc/start/{query}")
    assert response.status_code == 302
    return response["Location"]


def sign_in(client: Client, provider, username: str, next_url: str = ""):
    """The whole round: the app, the provider's sign-in page, the app's callback."""
    callback = provider.sign_in(start(client, next_url), username)
    assert callback.startswith("http://testserver/accounts/oidc/callback/?")
    return client.get(path_of(callback))


def entries(**filters) -> list[tuple[str, str, str, str]]:
    """(action, outcome, who, detail) of the audit entries, oldest first."""
    return list(
        AuditEntry.objects.filter(**filters)
        .order_by("id")
        .values_list("action", "outcome", "username", "detail")
    )


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_sign_in_asks_the_provider_with_pkce_state_and_nonce(company_sign_in, client):
    """The browser is sent to the discovered authorization endpoint with the client, the
    scopes, a state, a nonce and an S256 code challenge."""
    authorize = urlsplit(start(client))
    params = parse_qs(authorize.query)

    assert f"{authorize.scheme}://{authorize.netloc}" == company_sign_in.issuer
    assert params["client_id"] == ["customer-lookup"]
    assert params["scope"] == ["openid email profile groups"]
    assert params["code_challenge_method"] == ["S256"]
    assert all(len(params[name][0]) >= 32 for name in ("state", "nonce", "code_challenge"))


def test_a_new_agent_is_created_at_first_sign_in_with_the_mapped_role(company_sign_in, client):
    """ana.agent is in cs-agents at the provider: she comes back signed in as a support agent,
    her account made just now, with no password of its own; both are in the audit trail."""
    response = sign_in(client, company_sign_in, "ana.agent")

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = signed_in_user(client)
    assert user.username == "ana.agent"
    assert [group.name for group in user.groups.all()] == ["Support agents"]
    assert not user.is_staff and not user.has_usable_password()
    assert entries() == [
        ("role_change", "ok", "ana.agent", "from the company sign-in: added Support agents"),
        ("sign_in", "ok", "ana.agent", COMPANY),
    ]
    signed_in = AuditEntry.objects.get(action=Action.SIGN_IN)
    assert signed_in.role == "agent" and signed_in.client_ip == "127.0.0.1"
    assert client.get("/").status_code == 200


def test_an_auditor_gets_staff_status_and_lands_on_the_audit_list(company_sign_in, client):
    """compliance maps to Auditors, who hold view_all_audit: staff status comes with it, and the
    landing page sends them on to the audit list."""
    sign_in(client, company_sign_in, "cora.compliance")

    user = signed_in_user(client)
    assert user.is_staff and not user.is_superuser
    landing = client.get("/")
    assert landing.status_code == 302
    assert landing["Location"] == "/admin/customers/auditentry/"
    assert client.get(landing["Location"]).status_code == 200
    assert entries(action=Action.ROLE_CHANGE)[0][3] == (
        "from the company sign-in: added Auditors; staff status given"
    )


def test_a_store_manager_gets_the_store_managers_role(company_sign_in, client):
    sign_in(client, company_sign_in, "mo.manager")

    assert [g.name for g in signed_in_user(client).groups.all()] == ["Store managers"]


def test_a_user_in_no_mapped_group_gets_the_no_role_page_and_no_account(company_sign_in, client):
    """nick.nogroup is only in marketing: a page that says so, no session, no account made, and
    a refused sign-in in the audit trail under his name."""
    response = sign_in(client, company_sign_in, "nick.nogroup")

    assert response.status_code == 403
    html = response.content.decode()
    assert "You have no role in Customer Lookup" in html
    assert "nick.nogroup" in html
    assert signed_in_user(client) is None
    assert not User.objects.filter(username="nick.nogroup").exists()
    assert entries() == [
        ("sign_in", "forbidden", "nick.nogroup", f"{COMPANY}: no group that gives a role")
    ]


def test_a_user_removed_from_the_group_is_refused_at_the_next_sign_in(company_sign_in, client):
    """Leaving cs-agents at the provider takes the role away at the next sign-in, and with it
    any access: the change and the refusal are audited."""
    sign_in(client, company_sign_in, "ana.agent")
    client.post("/accounts/logout/")
    company_sign_in.set_groups("ana.agent", [])

    response = sign_in(Client(), company_sign_in, "ana.agent")

    assert response.status_code == 403
    assert "You have no role" in response.content.decode()
    assert not User.objects.get(username="ana.agent").groups.exists()
    assert entries()[-2:] == [
        ("role_change", "ok", "ana.agent", "from the company sign-in: removed Support agents"),
        ("sign_in", "forbidden", "ana.agent", f"{COMPANY}: no group that gives a role"),
    ]


def test_moving_to_another_group_changes_the_role_and_staff_status(company_sign_in, client):
    sign_in(client, company_sign_in, "ana.agent")
    company_sign_in.set_groups("ana.agent", ["compliance"])

    sign_in(client, company_sign_in, "ana.agent")

    user = User.objects.get(username="ana.agent")
    assert [g.name for g in user.groups.all()] == ["Auditors"]
    assert user.is_staff
    assert entries(action=Action.ROLE_CHANGE)[-1][3] == (
        "from the company sign-in: added Auditors; removed Support agents; staff status given"
    )

    company_sign_in.set_groups("ana.agent", ["cs-agents"])
    sign_in(client, company_sign_in, "ana.agent")
    assert not User.objects.get(username="ana.agent").is_staff


def test_groups_given_in_the_admin_outside_the_mapping_are_left_alone(company_sign_in, client):
    """Only the mapped roles follow the provider; a group an administrator added by hand stays."""
    sign_in(client, company_sign_in, "ana.agent")
    user = User.objects.get(username="ana.agent")
    user.groups.add(Group.objects.create(name="Night shift"))

    sign_in(client, company_sign_in, "ana.agent")

    assert sorted(g.name for g in user.groups.all()) == ["Night shift", "Support agents"]
    assert len(entries(action=Action.ROLE_CHANGE)) == 1


def test_a_local_account_with_the_same_name_is_not_taken_over(company_sign_in, client):
    """A local account (it has a password) named like the provider's user stays out of reach."""
    local = User.objects.create_superuser("ana.agent", password="local-password-1")

    response = sign_in(client, company_sign_in, "ana.agent")

    assert response.status_code == 403
    assert "belongs to a local account" in response.content.decode()
    assert signed_in_user(client) is None
    local.refresh_from_db()
    assert not local.groups.exists()
    assert entries()[-1][:3] == ("sign_in", "forbidden", "ana.agent")


def test_a_tampered_state_is_refused(company_sign_in, client):
    """A callback whose state is not the one this browser's sign-in started: a clear page, no
    session, an audit entry; the provider's code is not even exchanged."""
    callback = company_sign_in.sign_in(start(client), "ana.agent")
    tampered = callback.replace("state=", "state=x")

    response = client.get(path_of(tampered))

    assert response.status_code == 400
    assert "This sign-in could not be verified" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert entries() == [
        (
            "sign_in",
            "invalid",
            NO_USERNAME,
            f"{COMPANY}: the state does not match a sign-in started in this browser",
        )
    ]


def test_a_callback_answers_once(company_sign_in, client):
    """Replaying the callback URL after a sign-in (its state used up) signs nobody in again."""
    callback = company_sign_in.sign_in(start(client), "ana.agent")
    assert client.get(path_of(callback)).status_code == 302
    other = Client()

    assert other.get(path_of(callback)).status_code == 400
    assert signed_in_user(other) is None


def test_a_token_for_another_audience_is_refused(company_sign_in, client, settings):
    """The provider's ID token, validly signed, names another app as its audience."""
    settings.OIDC_RP_CLIENT_ID = WRONG_AUDIENCE

    response = sign_in(client, company_sign_in, "ana.agent")

    assert response.status_code == 400
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert entries()[-1][1:] == (
        "invalid",
        NO_USERNAME,
        f"{COMPANY}: the ID token is for another app (audience)",
    )


def test_an_expired_token_is_refused(company_sign_in, client, settings):
    """The provider's ID token, validly signed, expired an hour ago."""
    settings.OIDC_RP_CLIENT_ID = EXPIRED

    response = sign_in(client, company_sign_in, "ana.agent")

    assert response.status_code == 400
    assert signed_in_user(client) is None
    assert entries()[-1][3] == f"{COMPANY}: the ID token has expired"


def test_a_wrong_client_secret_is_refused_by_the_provider(company_sign_in, client, settings):
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"

    response = sign_in(client, company_sign_in, "ana.agent")

    assert response.status_code == 400
    assert entries()[-1][3] == f"{COMPANY}: the provider refused the code (HTTP 401)"


def test_a_sign_in_cancelled_at_the_provider_says_so(company_sign_in, client):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]

    response = client.get(f"/accounts/oidc/callback/?error=access_denied&state={state}")

    assert response.status_code == 403
    assert "did not sign you in" in response.content.decode()
    assert entries()[-1][1:] == (
        "forbidden",
        NO_USERNAME,
        f"{COMPANY}: the provider answered access_denied",
    )


def test_a_provider_that_is_down_gets_a_clear_page_and_break_glass_still_works(
    company_sign_in, client, settings
):
    """With the provider unreachable, the company sign-in answers a page that says so; an
    administrator's local password still signs in, while other local passwords stay refused."""
    settings.OIDC_ISSUER = refused_url()
    settings.LOCAL_LOGIN = "admins-only"
    User.objects.create_superuser("root", password="break-glass-password-1")
    User.objects.create_user("agent", password="agent-password-1")

    response = client.get("/accounts/oidc/start/")

    assert response.status_code == 503
    html = response.content.decode()
    assert "The company sign-in is not answering" in html
    assert "Administrators can still sign in with their local password" in html
    assert entries()[-1][:2] == ("sign_in", "error")

    refused = client.post(
        "/accounts/login/", {"username": "agent", "password": "agent-password-1"}
    )
    assert refused.status_code == 200
    assert "Local passwords are for administrators only" in refused.content.decode()
    assert signed_in_user(client) is None

    signed_in = client.post(
        "/accounts/login/", {"username": "root", "password": "break-glass-password-1"}
    )
    assert signed_in.status_code == 302
    assert signed_in_user(client).username == "root"
    assert entries()[-2:] == [
        (
            "sign_in",
            "forbidden",
            "agent",
            "by local password: local passwords are for administrators only",
        ),
        ("sign_in", "ok", "root", "by local password"),
    ]


def test_signing_out_ends_the_provider_session_too(company_sign_in, client):
    """After a company sign-in, signing out sends the browser to the provider's end-session
    endpoint with the ID token as a hint, coming back to the sign-in page."""
    sign_in(client, company_sign_in, "ana.agent")

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    end = urlsplit(response["Location"])
    params = parse_qs(end.query)
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{company_sign_in.issuer}/session/end"
    assert params["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert params["client_id"] == ["customer-lookup"]
    assert params["id_token_hint"][0].count(".") == 2
    assert signed_in_user(client) is None
    assert entries()[-1] == ("sign_out", "ok", "ana.agent", COMPANY)


def test_a_lookup_link_through_the_company_sign_in_opens_the_search_filled_in(
    company_sign_in, client
):
    """As with a password: the lookup the sign-in returns to asks before it runs."""
    lookup = "/lookup/?source=INSTORE&identifierName=mobile&identifierValue=919999000001"

    response = sign_in(client, company_sign_in, "ana.agent", next_url=lookup)

    assert response["Location"] == lookup + "&confirm=1"


def test_the_sign_in_page_offers_the_company_sign_in_first(company_sign_in, client):
    """The company's button comes before the password form, and carries `next` along."""
    page = parse(client.get("/accounts/login/?next=/my-lookups/").content)

    ids = [element.attrs.get("id") for element in page.iter()]
    assert ids.index("company-sign-in") < ids.index("login-form")
    button = page.find("a", id="company-sign-in")
    assert button.text == "Sign in with Test Company"
    assert button["href"] == "/accounts/oidc/start/?next=%2Fmy-lookups%2F"


def test_without_an_issuer_there_is_no_company_sign_in(client, settings):
    """Off by default: the sign-in page has only the password form, the views are 404."""
    settings.OIDC_ISSUER = ""

    assert "company-sign-in" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/start/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_the_system_checks_catch_bad_sign_in_settings(settings):
    """A typo in LOCAL_LOGIN or OIDC_GROUP_ROLES, or a missing client, fails `manage.py check`."""
    settings.LOCAL_LOGIN = "nobody"
    settings.OIDC_GROUP_ROLES = "cs-agents"
    settings.OIDC_ISSUER = "https://login.example.com"
    settings.OIDC_RP_CLIENT_ID = ""

    with pytest.raises(SystemCheckError) as raised:
        call_command("check")

    assert "customers.E002" in str(raised.value)
    assert "'cs-agents' is not 'provider group:app group'" in str(raised.value)
    assert "customers.E004" in str(raised.value)


def test_the_settings_come_from_the_environment_and_let_the_sign_out_reach_the_provider():
    """OIDC_* and LOCAL_LOGIN are read from the environment; the provider's origin joins the
    CSP's form-action, since signing out redirects the sign-out form's POST there."""
    from tests.test_foundation import run_python

    code = (
        "from django.conf import settings as s; "
        "print(s.OIDC_RP_CLIENT_ID, s.LOCAL_LOGIN, s.OIDC_GROUP_ROLES, "
        "' '.join(s.SECURE_CSP['form-action']), sep='|')"
    )
    result = run_python(
        code,
        SECRET_KEY="x",
        OIDC_ISSUER="https://sso.example.com/realms/staff",
        OIDC_CLIENT_ID="lookup",
        LOCAL_LOGIN="admins-only",
        OIDC_GROUP_ROLES="cs-agents:Support agents",
    )

    assert result.stdout.strip() == (
        "lookup|admins-only|cs-agents:Support agents|'self' https://sso.example.com"
    )
    off = run_python(code, SECRET_KEY="x")
    assert off.stdout.strip().endswith("|'self'")
