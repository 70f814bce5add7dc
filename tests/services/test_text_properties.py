"""Any text, lone surrogates included, given to a service is either stored exactly as typed
(after the NFC and trimming every service does) or refused with a RuleViolation that names
the field, with nothing stored; never another exception (hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.domain.enums import ChargeKind, Role
from app.domain.errors import RuleViolation
from app.domain.state_machine import Action
from app.i18n import render
from app.services.customers import CustomerInput
from app.services.order_queries import OrderFilter
from app.services.orders import ChargeInput
from app.services.users import NewUser
from tests.conftest import PASSWORD
from tests.services.helpers import counts, new_order
from tests.services.test_text_refusals import snapshot

#: what people type and paste, with the troublemakers drawn often
chars = st.one_of(
    st.characters(exclude_categories=()),  # every code point, surrogates included
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),  # Extension A
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),  # Extension B
    st.sampled_from(["℃", "ǎ", "Ⅻ", "①", "\n", "\t", " ", "\u3000", "\ud800", "\udfff",
                     "\u202e", "\u200d", "\ufeff", "ئ", "ע", "ꆈ", "\ue000", "\U000e0100",
                     "\u0301", "\x07", "\r"]),
)
texts = st.text(chars, max_size=30)

SETTINGS = settings(
    max_examples=80, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def stored_form(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _refusal_ok(err: RuleViolation, fields: set[str]) -> None:
    event(f"refused: {err.field}")
    assert err.field in fields
    render(err).encode("utf-8")  # shown and logged as it is


@SETTINGS
@given(name=texts, address=texts, notes=texts)
def test_customer_text_is_stored_exactly_or_refused(services, station, name, address, notes):
    before = counts(services)
    try:
        created = services.customers.create(
            station["clerk"], CustomerInput(name, ("13812345678",), address, notes))
    except RuleViolation as err:
        _refusal_ok(err, {"name", "address", "notes"})
        assert counts(services) == before
        return
    event("stored")
    back = services.customers.get(created.id)
    assert (back.name, back.address, back.notes) == (
        stored_form(name), stored_form(address), stored_form(notes))


@SETTINGS
@given(diagnosis=texts, actions=texts, description=texts)
def test_repair_text_is_stored_exactly_or_refused(services, station, diagnosis, actions,
                                                  description):
    tech = station["tech"]
    order = _assigned_order(services, station)
    before = snapshot(services)
    try:
        services.orders.add_repair_record(tech, order.id, diagnosis, actions, 10)
    except RuleViolation as err:
        _refusal_ok(err, {"diagnosis", "actions"})
        assert snapshot(services) == before
    else:
        event("stored")
        repair = services.orders.detail(order.id).repairs[-1]
        assert (repair.diagnosis, repair.actions) == (stored_form(diagnosis),
                                                      stored_form(actions))
    order = services.orders.detail(order.id)
    before = snapshot(services)
    try:
        services.orders.set_charges(tech, order.id,
                                    [ChargeInput(ChargeKind.PARTS, description, 1, 100)],
                                    order.revision)
    except RuleViolation as err:
        _refusal_ok(err, {"charges"})
        assert snapshot(services) == before
    else:
        assert services.orders.detail(order.id).charges[0].description == \
            stored_form(description)


def _assigned_order(services, station):
    """The station's one open order, assigned to the technician (hypothesis runs every
    example on the same fixtures)."""
    rows = services.orders.search(OrderFilter())
    if rows:
        return services.orders.detail(rows[0].id)
    order = new_order(services, station["clerk"])
    services.orders.transition(station["manager"], order.id, Action.ACCEPT)
    return services.orders.transition(station["manager"], order.id, Action.ASSIGN,
                                      technician_id=station["tech"].user_id)


@SETTINGS
@given(display=texts, password=texts)
def test_user_text_is_stored_exactly_or_refused(services, station, display, password):
    before = snapshot(services)
    username = f"u{len(before['users'])}"
    try:
        user = services.users.create_user(station["manager"],
                                          NewUser(username, display, Role.CLERK,
                                                  PASSWORD + password))
    except RuleViolation as err:
        _refusal_ok(err, {"display_name", "password"})
        assert snapshot(services) == before
        return
    event("stored")
    assert user.display_name == stored_form(display)
    # a password is never altered: not even trimmed
    assert services.users.login(username, PASSWORD + password).user_id == user.id
