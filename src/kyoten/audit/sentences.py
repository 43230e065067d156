"""The audit trail in words: each kind of event with its sentence in Japanese and English.

A sentence is written from the event's data when it is shown, in the page's language: the
actor by their roles at the time and their user name ("プログラム事務局（office）"), fiscal
years as each language writes them (令和6年度, FY2024), roles, decisions and record types by
their names. Data that does not fit (an old event, a kind no longer known) still gives a
sentence: what is missing reads "?".
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kyoten.fiscal import format_fiscal_year, format_yen, format_yen_ja
from kyoten.web.language import page_lang

# kind -> (what the filter calls it, the sentence)
KINDS: dict[str, tuple[Promise, Promise]] = {
    "report.uploaded": (
        gettext_lazy("report version uploaded"),
        gettext_lazy(
            "%(actor)s uploaded version %(version)s of %(center)s's %(fiscal_year)s report"
        ),
    ),
    "report.sample_loaded": (
        gettext_lazy("sample report loaded"),
        gettext_lazy("%(actor)s loaded sample data as %(center)s's %(fiscal_year)s report"),
    ),
    "report.submitted": (
        gettext_lazy("report submitted"),
        gettext_lazy(
            "%(actor)s submitted %(center)s's %(fiscal_year)s report to the program office"
        ),
    ),
    "report.accepted": (
        gettext_lazy("report accepted"),
        gettext_lazy("%(actor)s accepted %(center)s's %(fiscal_year)s report"),
    ),
    "report.returned": (
        gettext_lazy("report returned"),
        gettext_lazy("%(actor)s returned %(center)s's %(fiscal_year)s report with comments"),
    ),
    "report.narrative_saved": (
        gettext_lazy("report narrative saved"),
        gettext_lazy(
            "%(actor)s saved the narrative of %(center)s's %(fiscal_year)s report as version "
            "%(version)s"
        ),
    ),
    "report.appendix_attached": (
        gettext_lazy("report appendix attached"),
        gettext_lazy(
            "%(actor)s attached the appendix “%(title)s” (%(name)s) to %(center)s's "
            "%(fiscal_year)s report"
        ),
    ),
    "report.appendix_removed": (
        gettext_lazy("report appendix removed"),
        gettext_lazy(
            "%(actor)s removed the appendix “%(title)s” (%(name)s) from %(center)s's "
            "%(fiscal_year)s report"
        ),
    ),
    "deadline.set": (
        gettext_lazy("report due date set"),
        gettext_lazy("%(actor)s set the due date of the %(fiscal_year)s reports to %(due)s"),
    ),
    "decision.recorded": (
        gettext_lazy("decision recorded"),
        gettext_lazy(
            "%(actor)s recorded a decision for %(center)s: %(decision)s, effective %(date)s"
        ),
    ),
    "decision.corrected": (
        gettext_lazy("decision corrected"),
        gettext_lazy(
            "%(actor)s corrected a decision for %(center)s (%(was_decision)s, effective "
            "%(was)s): now %(decision)s, effective %(date)s"
        ),
    ),
    "decision.withdrawn": (
        gettext_lazy("decision withdrawn"),
        gettext_lazy(
            "%(actor)s withdrew a decision for %(center)s: %(decision)s, effective %(date)s "
            "(reason: %(reason)s)"
        ),
    ),
    "grant.decided": (
        gettext_lazy("grant decided entered"),
        gettext_lazy(
            "%(actor)s entered the grant decided for %(center)s's %(fiscal_year)s: "
            "%(amount)s, decided on %(date)s"
        ),
    ),
    "grant.amended": (
        gettext_lazy("grant amendment entered"),
        gettext_lazy(
            "%(actor)s entered an amendment of %(center)s's %(fiscal_year)s grant: "
            "%(amount)s (was %(was_amount)s), decided on %(date)s"
        ),
    ),
    "plan.submitted": (
        gettext_lazy("plan submitted"),
        gettext_lazy("%(actor)s submitted the plan %(name)s for %(center)s"),
    ),
    "outcomes.published": (
        gettext_lazy("outcome indicators published"),
        gettext_lazy(
            "%(actor)s published the outcome indicators of papers from %(first_year)s "
            "to %(last_year)s"
        ),
    ),
    "outcomes.sample_loaded": (
        gettext_lazy("sample outcome indicators loaded"),
        gettext_lazy(
            "%(actor)s loaded sample outcome indicators of papers from %(first_year)s to "
            "%(last_year)s, computed from synthetic data"
        ),
    ),
    "reference.loaded": (
        gettext_lazy("reference data loaded"),
        gettext_lazy("%(actor)s loaded the reference data"),
    ),
    "account.invited": (
        gettext_lazy("person invited"),
        gettext_lazy("%(actor)s invited %(person)s (%(email)s) as %(role)s"),
    ),
    "account.invitation_resent": (
        gettext_lazy("invitation sent again"),
        gettext_lazy("%(actor)s sent the invitation to %(email)s again"),
    ),
    "account.password_set": (
        gettext_lazy("password set from an invitation"),
        gettext_lazy("%(actor)s set the password of the account from the invitation"),
    ),
    "account.office_password_set": (
        gettext_lazy("program-office password set"),
        gettext_lazy("%(actor)s set a new password for the program-office account %(username)s"),
    ),
    "account.role_changed": (
        gettext_lazy("role changed"),
        gettext_lazy("%(actor)s gave %(person)s the role %(role)s from %(date)s"),
    ),
    "account.deactivated": (
        gettext_lazy("account deactivated"),
        gettext_lazy("%(actor)s deactivated the account of %(person)s"),
    ),
    "account.reactivated": (
        gettext_lazy("account reactivated"),
        gettext_lazy("%(actor)s reactivated the account of %(person)s"),
    ),
    "cycle.opened": (
        gettext_lazy("evaluation opened"),
        gettext_lazy("%(actor)s opened the evaluation “%(cycle)s” for %(fiscal_year)s"),
    ),
    "case.report_pinned": (
        gettext_lazy("report pinned to an evaluation"),
        gettext_lazy(
            "%(actor)s pinned %(center)s's accepted %(fiscal_year)s report to its evaluation"
        ),
    ),
    "seat.invited": (
        gettext_lazy("working-group member invited"),
        gettext_lazy(
            "%(actor)s invited %(person)s to %(center)s's working group as %(seat_role)s "
            "(%(fiscal_year)s)"
        ),
    ),
    "seat.answered": (
        gettext_lazy("working-group invitation answered"),
        gettext_lazy("%(actor)s %(answer)s the invitation to %(center)s's working group"),
    ),
    "seat.no_conflict": (
        gettext_lazy("no conflict of interest stated"),
        gettext_lazy("%(actor)s stated having no conflict of interest with %(center)s"),
    ),
    "seat.conflict_declared": (
        gettext_lazy("conflict of interest declared"),
        gettext_lazy("%(actor)s declared a conflict of interest with %(center)s"),
    ),
    "visit.scheduled": (
        gettext_lazy("site visit scheduled"),
        gettext_lazy("%(actor)s scheduled a site visit or hearing of %(center)s for %(starts)s"),
    ),
    "visit.changed": (
        gettext_lazy("site visit changed"),
        gettext_lazy("%(actor)s changed the site visit or hearing of %(center)s on %(starts)s"),
    ),
    "recommendation.answered": (
        gettext_lazy("point to improve answered"),
        gettext_lazy("%(actor)s answered the point to improve %(code)s for %(center)s"),
    ),
    "recommendation.status_changed": (
        gettext_lazy("point to improve updated"),
        gettext_lazy("%(actor)s set the point to improve %(code)s of %(center)s to %(status)s"),
    ),
    "document.uploaded": (
        gettext_lazy("document uploaded"),
        gettext_lazy("%(actor)s uploaded %(document)s for %(center)s: %(name)s"),
    ),
    "review.saved": (
        gettext_lazy("review draft saved"),
        gettext_lazy("%(actor)s saved a draft review of %(center)s"),
    ),
    "review.submitted": (
        gettext_lazy("review submitted"),
        gettext_lazy("%(actor)s submitted a review of %(center)s"),
    ),
    "review.reopened": (
        gettext_lazy("review reopened"),
        gettext_lazy("%(actor)s reopened %(person)s's review of %(center)s"),
    ),
    "case.consolidated": (
        gettext_lazy("consolidated assessment saved"),
        gettext_lazy("%(actor)s saved the consolidated assessment of %(center)s"),
    ),
    "case.decided": (
        gettext_lazy("committee's result recorded"),
        gettext_lazy(
            "%(actor)s recorded the committee's result for %(center)s in the evaluation "
            "“%(cycle)s” for %(fiscal_year)s: rating %(rating)s, %(outcome)s"
        ),
    ),
    "cycle.published": (
        gettext_lazy("evaluation results published"),
        gettext_lazy(
            "%(actor)s published the results of the evaluation “%(cycle)s” for %(fiscal_year)s"
        ),
    ),
    "conflicts.detected": (
        gettext_lazy("conflicts of interest looked for"),
        gettext_lazy(
            "%(actor)s looked for conflicts of interest on %(on)s: %(new)s new findings, "
            "%(updated)s updated, %(removed)s no longer found"
        ),
    ),
    "conflict.decided": (
        gettext_lazy("conflict of interest decided"),
        gettext_lazy(
            "%(actor)s decided %(person)s's finding with %(center)s (%(rule)s): "
            "%(was_status)s → %(finding_status)s"
        ),
    ),
    "conflict.declared": (
        gettext_lazy("conflict of interest recorded"),
        gettext_lazy(
            "%(actor)s recorded %(person)s's conflict of interest with %(center)s: %(rule)s"
        ),
    ),
    "expert.saved": (
        gettext_lazy("expert profile saved"),
        gettext_lazy("%(actor)s saved %(person)s's profile in the expert pool"),
    ),
    "groups.proposed": (
        gettext_lazy("working groups proposed"),
        gettext_lazy(
            "%(actor)s had the optimiser propose the working groups of “%(cycle)s” for "
            "%(fiscal_year)s: %(proposal_status)s"
        ),
    ),
    "groups.uploaded": (
        gettext_lazy("working groups uploaded"),
        gettext_lazy(
            "%(actor)s uploaded working groups for “%(cycle)s” for %(fiscal_year)s, checked "
            "against every rule"
        ),
    ),
    "groups.confirmed": (
        gettext_lazy("working groups confirmed"),
        gettext_lazy("%(actor)s confirmed the working groups of “%(cycle)s” for %(fiscal_year)s"),
    ),
    "groups.pairing_set": (
        gettext_lazy("expert pinned or excluded"),
        gettext_lazy(
            "%(actor)s %(pairing)s %(person)s for %(center)s's working group (%(fiscal_year)s)"
        ),
    ),
    "groups.pairing_removed": (
        gettext_lazy("pin or exclusion removed"),
        gettext_lazy(
            "%(actor)s removed the pin or exclusion of %(person)s for %(center)s's working "
            "group (%(fiscal_year)s)"
        ),
    ),
    "record.created": (
        gettext_lazy("record created"),
        gettext_lazy("%(actor)s created the %(model)s “%(object)s”"),
    ),
    "record.changed": (
        gettext_lazy("record changed"),
        gettext_lazy("%(actor)s changed the %(model)s “%(object)s”"),
    ),
    "record.deleted": (
        gettext_lazy("record deleted"),
        gettext_lazy("%(actor)s deleted the %(model)s “%(object)s”"),
    ),
}
UNKNOWN = gettext_lazy("%(actor)s: %(kind)s")


class _Values(dict[str, Any]):
    """The sentence's values; one it asks for and the data lacks reads "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def kind_label(kind: str) -> str:
    return str(KINDS[kind][0]) if kind in KINDS else kind


def _choice_label(model: str, field: str, value: Any) -> str:
    """The display name of a choice (a role, a kind of decision) in the page's language."""
    if not isinstance(value, str):
        return str(value)
    try:
        choices = dict(apps.get_model(model)._meta.get_field(field).flatchoices)
    except LookupError:
        return str(value)
    return str(choices.get(value, value))


def model_name(label: Any) -> str:
    try:
        return str(apps.get_model(str(label))._meta.verbose_name)
    except (LookupError, ValueError):
        return str(label)


def actor_name(event: Any) -> str:
    """The actor as the sentence names them: their roles then, and the name recorded."""
    data = event.data if isinstance(event.data, dict) else {}
    held = data.get("actor_roles")
    roles = [
        _choice_label("accounts.Membership", "role", r)
        for r in (held if isinstance(held, list) else [])
    ]
    if not roles:
        return str(event.actor_label)
    joined = "・".join(roles) if page_lang() == "ja" else ", ".join(roles)
    return _("%(roles)s (%(name)s)") % {"roles": joined, "name": event.actor_label}


def _material_title(material: Any) -> str:
    """A kind of document by its name in the cycle data."""
    from kyoten.cycles import load_cycles

    found = next((m for m in load_cycles().materials if m.id == material), None)
    return found.title.get(page_lang()) if found else str(material)


def _cycle_values(data: dict[str, Any]) -> dict[str, str]:
    """The kind of evaluation and its decision by their names in the cycle data."""
    from kyoten.cycles import load_cycles

    try:
        kind = load_cycles().cycle_type(str(data.get("cycle_type")))
    except KeyError:
        return {}
    lang = page_lang()
    found = {"cycle": kind.title.get(lang)}
    outcome = next((o for o in kind.outcomes if o.id == data.get("outcome")), None)
    found["outcome"] = outcome.title.get(lang) if outcome else _("no decision on the course")
    return found


# what the optimiser answered, in words
PROPOSAL_STATUSES: dict[str, Promise] = {
    "optimal": gettext_lazy("the best valid groups"),
    "feasible": gettext_lazy("valid groups, not proven the best"),
    "infeasible": gettext_lazy("no valid groups exist"),
    "unknown": gettext_lazy("no answer within the work limit"),
}


def _rule_title(rule: Any) -> str:
    """A conflict-of-interest rule by its title in the rules in force (its id if gone)."""
    from kyoten.coi import load_rules

    for version in reversed(load_rules().versions):
        found = next((r for r in version.rules if r.id == rule), None)
        if found is not None:
            return found.title.get(page_lang())
    return str(rule)


def _fiscal_year(value: Any) -> str:
    if not isinstance(value, int):
        return str(value)
    return format_fiscal_year(value, "wareki" if page_lang() == "ja" else "fy")


def sentence(event: Any) -> str:
    """The event in words, in the page's language."""
    data = event.data if isinstance(event.data, dict) else {}
    values = _Values({k: v for k, v in data.items() if isinstance(k, str)})
    values.update(actor=actor_name(event), kind=event.kind)
    if "person_en" in data:
        values["person"] = (page_lang() == "ja" and data.get("person_ja")) or data["person_en"]
    if "fiscal_year" in data:
        values["fiscal_year"] = _fiscal_year(data["fiscal_year"])
    if "role" in data:
        values["role"] = _choice_label("accounts.Membership", "role", data["role"])
        if data.get("role_center"):
            values["role"] = _("%(role)s (%(center)s)") % {
                "role": values["role"],
                "center": data["role_center"],
            }
    if "decision" in data:
        values["decision"] = _choice_label("registry.Decision", "kind", data["decision"])
    if "was_decision" in data:
        values["was_decision"] = _choice_label("registry.Decision", "kind", data["was_decision"])
    if "model" in data:
        values["model"] = model_name(data["model"])
    if "material" in data:
        values["document"] = _material_title(data["material"])
    if "status" in data:
        values["status"] = _choice_label("evaluation.Recommendation", "status", data["status"])
    for key, name in (("amount_yen", "amount"), ("was_yen", "was_amount")):
        if isinstance(data.get(key), int):
            values[name] = (format_yen_ja if page_lang() == "ja" else format_yen)(data[key])
    if "seat_role" in data:
        values["seat_role"] = _choice_label("evaluation.Seat", "role", data["seat_role"])
    if "accepted" in data:
        values["answer"] = (
            pgettext("invitation answer", "accepted")
            if data["accepted"]
            else pgettext("invitation answer", "declined")
        )
    for key in ("finding_status", "was_status"):
        if key in data:
            values[key] = _choice_label("conflicts.Finding", "status", data[key])
    if "rule" in data:
        values["rule"] = _rule_title(data["rule"])
    if "proposal_status" in data:
        label = PROPOSAL_STATUSES.get(str(data["proposal_status"]))
        values["proposal_status"] = str(label) if label else str(data["proposal_status"])
    if "pairing" in data:
        values["pairing"] = (
            pgettext("working group", "pinned")
            if data["pairing"] == "pin"
            else pgettext("working group", "excluded")
        )
    values.update(_cycle_values(data))
    template = KINDS[event.kind][1] if event.kind in KINDS else UNKNOWN
    try:
        return str(template) % values
    except (TypeError, ValueError):  # a value of an unexpected type in old data
        return str(UNKNOWN) % values


def field_name(model: str, attname: str) -> str:
    """A changed field as the page names it ("拠点" for ``center_id``)."""
    try:
        fields = apps.get_model(model)._meta.concrete_fields
    except (LookupError, ValueError):
        return attname
    for field in fields:
        if attname in (field.attname, field.name):
            return str(field.verbose_name)
    return attname
