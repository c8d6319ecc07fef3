"""How a program's renewal conditions combine (customers.pages.renewal, TIER_RENEWAL_RULES)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from customers.pages import renewal


def test_the_setting_names_a_rule_per_program_id():
    """ "1101:any,1103:all", with spaces and capitals forgiven; an empty setting names none."""
    assert renewal.parse_rules(" 1101 : ANY , 1103:all ,") == {1101: "any", 1103: "all"}
    assert renewal.parse_rules("") == {}


@pytest.mark.parametrize(
    "text", ["1101", "1101:some", "gold:any", "1101:any;1102:all", "-1:any", "**:any", "*:some"]
)
def test_a_malformed_setting_is_refused(text):
    """Anything but <program id>:any or <program id>:all is a configuration error."""
    with pytest.raises(ImproperlyConfigured, match="TIER_RENEWAL_RULES"):
        renewal.parse_rules(text)


def test_a_program_the_org_has_not_described_has_no_rule(settings):
    """Unknown programs, programs without an id and a broken setting give None: the pages then
    claim neither rule."""
    settings.TIER_RENEWAL_RULES = "1101:any"
    assert renewal.rule_for(1101) == renewal.ANY
    assert renewal.rule_for(1102) is None
    assert renewal.rule_for(None) is None
    settings.TIER_RENEWAL_RULES = "1101:perhaps"
    assert renewal.rule_for(1101) is None


@pytest.mark.django_db
def test_the_system_check_reports_a_malformed_setting(settings):
    """`manage.py check` fails on a typo instead of a page quietly saying nothing."""
    settings.TIER_RENEWAL_RULES = "1101:every"

    with pytest.raises(SystemCheckError, match=r"customers\.E005"):
        call_command("check")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "host", ["files.example.com", "https://files.example.com/photos", "http://files.example.com"]
)
def test_the_system_check_wants_https_origins_for_photos(settings, host):
    """CUSTOMER_IMAGE_HOSTS holds https origins only: the CSP's img-src takes them as they are."""
    settings.CUSTOMER_IMAGE_HOSTS = [host]

    with pytest.raises(SystemCheckError, match=r"customers\.E006"):
        call_command("check")


def test_photo_hosts_and_renewal_rules_come_from_the_environment():
    """CUSTOMER_IMAGE_HOSTS joins the Content Security Policy's img-src, and nothing else does."""
    from tests.test_foundation import run_python

    code = (
        "from django.conf import settings as s; "
        "print(s.TIER_RENEWAL_RULES, ' '.join(s.SECURE_CSP['img-src']), sep='|')"
    )
    result = run_python(
        code,
        SECRET_KEY="x",
        TIER_RENEWAL_RULES="1101:any",
        CUSTOMER_IMAGE_HOSTS="https://files.example.com/,https://cdn.example.net",
    )

    assert result.stdout.strip() == (
        "1101:any|'self' data: https://files.example.com https://cdn.example.net"
    )
    # With a real backend and no rule set, none is claimed; with the sandbox on, the sandbox
    # org's own rule (any one condition keeps the tier) is the default.
    real = run_python(code, SECRET_KEY="x", LOOKUP_API_BASE_URL="https://eu.example.com")
    assert real.stdout.strip() == "|'self' data:"
    assert run_python(code, SECRET_KEY="x").stdout.strip() == "*:any|'self' data:"


def test_a_star_names_the_rule_of_every_program_not_named(settings):
    """ "*:any" covers every program the setting does not name; a named one keeps its own."""
    assert renewal.parse_rules("1103:all, *:ANY") == {1103: "all", "*": "any"}
    settings.TIER_RENEWAL_RULES = "1103:all,*:any"
    assert renewal.rule_for(1101) == renewal.ANY
    assert renewal.rule_for(1103) == renewal.ALL
    assert renewal.rule_for(None) is None


def test_the_org_time_zone_defaults_to_the_sandbox_orgs_when_the_sandbox_is_on():
    """ORG_TIME_ZONE: the sandbox org's zone with the sandbox on, else TIME_ZONE; set, it wins."""
    from tests.test_foundation import run_python

    code = "from django.conf import settings as s; print(s.ORG_TIME_ZONE)"
    assert run_python(code, SECRET_KEY="x").stdout.strip() == "Asia/Kolkata"
    real = run_python(
        code, SECRET_KEY="x", LOOKUP_API_BASE_URL="https://eu.example.com", TIME_ZONE="Asia/Dubai"
    )
    assert real.stdout.strip() == "Asia/Dubai"
    chosen = run_python(code, SECRET_KEY="x", ORG_TIME_ZONE="Asia/Shanghai")
    assert chosen.stdout.strip() == "Asia/Shanghai"


@pytest.mark.django_db
def test_the_system_check_reports_an_unknown_org_time_zone(settings):
    """A misspelt ORG_TIME_ZONE fails `manage.py check` rather than showing dates in UTC."""
    settings.ORG_TIME_ZONE = "Asia/Bangalore"

    with pytest.raises(SystemCheckError, match=r"customers\.E007"):
        call_command("check")
