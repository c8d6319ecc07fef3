"""Signing in with the company's identity provider: OpenID Connect, its groups mapped to roles.

mozilla-django-oidc does the protocol: the authorization code flow with PKCE, state and nonce,
the token exchange, and the ID token's signature against the provider's published keys. This
module adds what the library leaves out and what is this app's:

- the endpoints come from the issuer's discovery document (kept in the cache for an hour), so
  the configuration is the issuer, the client and the groups;
- the ID token's issuer and audience are checked (the library checks neither), with its
  signature, expiry and nonce, and the callback's `iss` parameter against the issuer (RFC 9207);
- users are found by the username claim and created at their first sign-in; at every sign-in
  their roles follow the provider's groups through OIDC_GROUP_ROLES, auditors get staff status,
  and a user with no mapped group is refused;
- every refusal is an exception that owns its page (status, audit outcome, heading, advice) and
  is one audit entry.

Off while OIDC_ISSUER is unset: the views (accounts/views.py) answer 404, the backend nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from customers.accounts.roles import grants_all_audit
from customers.audit.models import AuditEntry, Outcome

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger("customers.accounts.oidc")

# How the audit trail names this way of signing in.
METHOD = "company sign-in"
# The backend a session signed in here records (Django's BACKEND_SESSION_KEY).
BACKEND = "customers.accounts.oidc.CompanyBackend"
DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_SECONDS = 3600
# Seconds of clock difference with the provider tolerated on the ID token's times.
LEEWAY = 30
# Session keys of mozilla-django-oidc: the flows started here, the page to return to, the token.
STATES = "oidc_states"
NEXT = "oidc_login_next"
ID_TOKEN = "oidc_id_token"  # noqa: S105 (a session key, not a token)


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


class SignInFailed(Exception):
    """A company sign-in that did not sign anyone in; the subclass says why, and owns its page.

    `why` is for the audit trail and the log (never a token or a secret); `username` is who the
    provider said it was, when it got that far.
    """

    status_code: ClassVar[int] = 400
    outcome: ClassVar[str] = Outcome.INVALID
    heading: ClassVar[StrOrPromise] = gettext_lazy("Sign-in failed")
    advice: ClassVar[StrOrPromise] = gettext_lazy("Start again from the sign-in page.")
    # Whether the page points to the local password (the provider itself is the trouble).
    suggests_password: ClassVar[bool] = False

    def __init__(self, why: str, username: str = "") -> None:
        super().__init__(why)
        self.why = why
        self.username = username


class ProviderUnavailable(SignInFailed):
    status_code = 503
    outcome = Outcome.ERROR
    heading = gettext_lazy("The company sign-in is not answering")
    advice = gettext_lazy(
        "The app could not reach your company's sign-in service, or it answered with an error. "
        "Try again in a few minutes; if it goes on, tell IT."
    )
    suggests_password = True


class NotVerified(SignInFailed):
    heading = gettext_lazy("This sign-in could not be verified")
    advice = gettext_lazy(
        "The answer from your company's sign-in did not check out: it may have been used "
        "already, started in another browser or tab, or been changed on the way. Start again "
        "from the sign-in page; if it happens every time, tell IT (with the request id below)."
    )


class ProviderRefused(SignInFailed):
    status_code = 403
    outcome = Outcome.FORBIDDEN
    heading = gettext_lazy("Your company's sign-in did not sign you in")
    advice = gettext_lazy(
        "It was cancelled or refused there. Start again, or ask IT if you should have access."
    )


class NoRole(SignInFailed):
    status_code = 403
    outcome = Outcome.FORBIDDEN
    heading = gettext_lazy("You have no role in Customer Lookup")
    advice = gettext_lazy(
        "Your company account is real, but it is in none of the groups that give a role in this "
        "app (support agent, store manager or auditor), so there is nothing here you may see. "
        "Ask your manager or IT to add you to the group for your job, then sign in again."
    )


class AccountConflict(SignInFailed):
    status_code = 403
    outcome = Outcome.FORBIDDEN
    heading = gettext_lazy("This username belongs to a local account")
    advice = gettext_lazy(
        "An account with your username was created in the app itself, with a password, so the "
        "company sign-in may not take it over. An administrator of Customer Lookup must rename "
        "or remove that account first."
    )


class AccountDisabled(SignInFailed):
    status_code = 403
    outcome = Outcome.FORBIDDEN
    heading = gettext_lazy("Your account is disabled in Customer Lookup")
    advice = gettext_lazy(
        "An administrator of Customer Lookup turned it off. Ask them if you need access."
    )


@dataclass(frozen=True)
class Provider:
    """The endpoints the issuer's discovery document names."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""
    end_session_endpoint: str = ""


def discovery_url() -> str:
    """OIDC_ISSUER is the issuer, or the full address of its discovery document."""
    issuer = settings.OIDC_ISSUER.strip()
    return str(issuer if "/.well-known/" in issuer else issuer.rstrip("/") + DISCOVERY_PATH)


def provider() -> Provider:
    """The provider's endpoints, from its discovery document (cached); ProviderUnavailable when
    it cannot be had."""
    url = discovery_url()
    key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
    if (found := cache.get(key)) is not None:
        return Provider(**found)
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, allow_redirects=False)
        response.raise_for_status()
        document = response.json()
        found = Provider(**{name: str(document.get(name) or "") for name in FIELDS})
    except (requests.RequestException, ValueError, AttributeError) as error:
        raise ProviderUnavailable(f"discovery failed ({type(error).__name__})") from error
    missing = [name for name in REQUIRED if not getattr(found, name)]
    if missing:
        raise ProviderUnavailable(f"the discovery document lacks {', '.join(missing)}")
    if "/.well-known/" not in settings.OIDC_ISSUER and found.issuer != settings.OIDC_ISSUER:
        # OpenID Connect Discovery 4.3: the document must be the configured issuer's own.
        raise ProviderUnavailable("the discovery document names another issuer")
    cache.set(key, asdict(found), DISCOVERY_SECONDS)
    return found


FIELDS = tuple(Provider.__dataclass_fields__)
REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


def group_roles() -> dict[str, tuple[str, ...]]:
    """OIDC_GROUP_ROLES ("cs-agents:Support agents,compliance:Auditors") as {provider group:
    app groups}. The last colon splits, so a provider's group may have colons in its name."""
    roles: dict[str, tuple[str, ...]] = {}
    for item in settings.OIDC_GROUP_ROLES.split(","):
        if not item.strip():
            continue
        group, colon, role = (part.strip() for part in item.rpartition(":"))
        if not (colon and group and role):
            raise ImproperlyConfigured(
                f"OIDC_GROUP_ROLES: {item.strip()!r} is not 'provider group:app group'."
            )
        roles[group] = (*roles.get(group, ()), role)
    return roles


def end_session_url(request: HttpRequest, id_token: str) -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated logout),
    coming back to the sign-in page; None when the provider offers none or cannot be reached."""
    try:
        endpoint = provider().end_session_endpoint
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(
            resolve_url(settings.LOGOUT_REDIRECT_URL)
        ),
    }
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


class CompanyBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with discovered endpoints, issuer and audience checks,
    users found by username, and roles from the provider's groups.

    It answers only the callback's call (with a nonce): Django makes one of these for every
    authenticate(), password sign-ins included, so nothing here may reach the provider before.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Not the library's: it reads the endpoints from settings, ours come from discovery.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        self.provider = provider()
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        user: User | None = super().authenticate(request, **kwargs)
        return user

    # Django's, not the library's: a user disabled in the admin loses their session at once.
    get_user = ModelBackend.get_user

    def get_payload_data(self, token: bytes | str, key: Any) -> dict[str, Any]:
        """The token's claims once its signature, issuer, audience and times check out."""
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise NotVerified("the ID token has expired") from error
        except jwt.InvalidAudienceError as error:
            raise NotVerified("the ID token is for another app (audience)") from error
        except jwt.InvalidIssuerError as error:
            raise NotVerified("the ID token is from another issuer") from error
        except jwt.InvalidTokenError as error:
            raise NotVerified(f"the ID token is not valid ({type(error).__name__})") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise NotVerified("the ID token was issued to another app (azp)")
        return claims

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The ID token's claims with the userinfo endpoint's on top: some providers put the
        groups only in one of them (Entra ID in the token, Keycloak in either)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
                raise NotVerified("the user info is about another user than the ID token")
            claims.update(info)
        return claims

    def username(self, claims: dict[str, Any]) -> str:
        value = claims.get(settings.OIDC_USERNAME_CLAIM)
        return value.strip()[:150] if isinstance(value, str) else ""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not self.username(claims):
            raise NotVerified(f"the provider sent no {settings.OIDC_USERNAME_CLAIM} claim")
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return self.UserModel.objects.filter(username=self.username(claims))

    def create_user(self, claims: dict[str, Any]) -> User:
        """A new user, only when the provider's groups give them a role."""
        username = self.username(claims)
        roles = self.roles(claims)
        if not roles:
            raise NoRole("no group that gives a role", username)
        user = self.UserModel.objects.create_user(username, email=_email(claims))
        self.apply_roles(user, roles)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        """The user's roles (and email) as the provider says now; refused without a role."""
        username = self.username(claims)
        if user.has_usable_password():
            raise AccountConflict("a local account has this username", username)
        if not user.is_active:
            raise AccountDisabled("the account is disabled in the app", username)
        if (email := _email(claims)) != user.email:
            user.email = email
            user.save(update_fields=["email"])
        roles = self.roles(claims)
        self.apply_roles(user, roles)
        if not roles:
            raise NoRole("no group that gives a role", username)
        return user

    def roles(self, claims: dict[str, Any]) -> list[Group]:
        """The app's groups that the user's groups at the provider map to."""
        groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        mapping = group_roles()
        names = {
            role for group in groups if isinstance(group, str) for role in mapping.get(group, ())
        }
        found = list(Group.objects.filter(name__in=names).order_by("name"))
        if missing := names - {group.name for group in found}:
            logger.error(
                "OIDC_GROUP_ROLES names groups the app does not have: %s", sorted(missing)
            )
        return found

    def apply_roles(self, user: User, roles: list[Group]) -> None:
        """Makes the user's mapped groups these, with staff status for a role that reads the
        whole audit trail (auditors reach it in the admin), and audits any change."""
        mapped = {role for roles_ in group_roles().values() for role in roles_}
        before = set(user.groups.filter(name__in=mapped).values_list("name", flat=True))
        after = {group.name for group in roles}
        staff = grants_all_audit(roles)
        if before == after and user.is_staff == staff:
            return
        with transaction.atomic():
            user.groups.remove(*Group.objects.filter(name__in=before - after))
            user.groups.add(*roles)
            changes = [f"added {name}" for name in sorted(after - before)]
            changes += [f"removed {name}" for name in sorted(before - after)]
            if user.is_staff != staff:
                user.is_staff = staff
                user.save(update_fields=["is_staff"])
                changes.append("staff status " + ("given" if staff else "taken away"))
            AuditEntry.objects.log_role_change(self.request, user=user, change="; ".join(changes))


def _email(claims: dict[str, Any]) -> str:
    email = claims.get("email")
    return email.strip()[:254] if isinstance(email, str) else ""


def user_from_callback(request: HttpRequest) -> User:
    """The user the provider's answer on the callback URL signs in; SignInFailed says why not.

    The flow's state, nonce and PKCE verifier are the ones the sign-in view kept in the session
    (mozilla-django-oidc's format); the state is used up whatever the outcome.
    """
    states = request.session.get(STATES)
    state = request.GET.get("state", "")
    started = states.pop(state, None) if isinstance(states, dict) else None
    if started is not None:
        # Each flow answers once: a replayed callback finds no state.
        request.session.modified = True
    if error := request.GET.get("error"):
        raise ProviderRefused(f"the provider answered {error[:60]}")
    if started is None or not request.GET.get("code"):
        raise NotVerified("the state does not match a sign-in started in this browser")
    issuer = request.GET.get("iss")
    if issuer is not None and issuer != provider().issuer:
        raise NotVerified("the answer names another issuer (iss)")
    backend = CompanyBackend()
    try:
        user = backend.authenticate(
            request, nonce=started.get("nonce"), code_verifier=started.get("code_verifier")
        )
    except SuspiciousOperation as refused:
        # The library's checks: the nonce, the signing key, the token's algorithm.
        raise NotVerified(str(refused)[:200]) from refused
    except requests.HTTPError as failed:
        status = failed.response.status_code if failed.response is not None else 0
        if status >= 500:
            raise ProviderUnavailable(f"the provider answered HTTP {status}") from failed
        raise NotVerified(f"the provider refused the code (HTTP {status})") from failed
    except requests.RequestException as failed:
        raise ProviderUnavailable(
            f"the provider did not answer ({type(failed).__name__})"
        ) from failed
    if user is None:
        raise NotVerified("the provider's answer gave no user")
    return user
