"""Conflict-of-interest pages: the register of findings, a finding with its evidence and the
decision, a person's own conflicts and expertise, and the expert profile the office keeps.
Each view fetches its object and asks the permission rules in one step (a finding the user
may not read answers 404, as a number that does not exist), then calls a service and renders."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyoten import assignment, cycles
from kyoten.accounts.permissions import (
    authorize,
    finding_scope,
    login_first,
    may,
    permitted,
    standing,
)
from kyoten.conflicts import groups, services
from kyoten.conflicts.forms import (
    DecisionForm,
    DeclarationForm,
    ExpertForm,
    FindingFilter,
    PairingForm,
    ProposalUploadForm,
    ProposeForm,
)
from kyoten.conflicts.models import Expert, Finding, Pairing, Proposal, rules
from kyoten.conflicts.presenters import evidence_lines
from kyoten.evaluation.models import Cycle
from kyoten.people.models import Person
from kyoten.web.downloads import download
from kyoten.web.language import page_lang
from kyoten.web.pages import paginate

PAGE_SIZE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@permitted("conflicts.read")
def finding_list(request: HttpRequest) -> HttpResponse:
    form = FindingFilter(request.GET or None)
    found = form.apply(Finding.objects.filter(finding_scope(request.user)))
    found = found.select_related("person", "center")
    page, query = paginate(request, found, PAGE_SIZE)
    office = may(request.user, "conflict.record")
    flagged = services.after_assignment(Finding.objects.filter(finding_scope(request.user)))
    return render(
        request,
        "conflicts/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "waiting": found.filter(status=Finding.Status.POTENTIAL).count(),
            "flagged": flagged.select_related("person", "center"),
            "may_detect": may(request.user, "conflicts.detect"),
            "record_form": DeclarationForm(office=True) if office else None,
            "publication_run": services.publication_run() if office else None,
        },
    )


def _finding(request: HttpRequest, pk: int, action: str = "finding.read") -> Finding:
    login_first(request)
    finding = get_object_or_404(Finding.objects.select_related("person", "center"), pk=pk)
    authorize(request, action, finding, hide=True)
    return finding


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    form = None
    if may(request.user, "finding.decide", finding) and finding.status != Finding.Status.NOTED:
        form = DecisionForm(request.POST or None, initial={"reason": finding.reason})
        if request.method == "POST" and form.is_valid():
            try:
                services.decide(
                    finding, form.cleaned_data["status"], form.cleaned_data["reason"], request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect(finding)
    elif request.method == "POST":
        raise Http404
    rule = finding.rule_data()
    return render(
        request,
        "conflicts/detail.html",
        {
            "finding": finding,
            "rule": rule,
            "rule_sources": rules().addresses(rule.sources) if rule else [],
            "description": rule.description.get(page_lang()) if rule else "",
            "evidence": evidence_lines(finding),
            "form": form,
            "seated": services.after_assignment(Finding.objects.filter(pk=finding.pk)).exists(),
        },
    )


@require_POST
@permitted("conflicts.detect")
def finding_detect(request: HttpRequest) -> HttpResponse:
    result = services.detect(by=request.user)
    messages.success(
        request,
        _(
            "Detection checked %(persons)s persons against every center: %(new)s new findings, "
            "%(updated)s updated, %(removed)s no longer found, %(flagged)s with new evidence "
            "after a decision."
        )
        % {
            "persons": result.persons,
            "new": result.new,
            "updated": result.updated,
            "removed": result.removed,
            "flagged": result.flagged,
        },
    )
    return redirect("findings")


@require_POST
@permitted("conflict.record")
def finding_record(request: HttpRequest) -> HttpResponse:
    form = DeclarationForm(request.POST, office=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.declare(
                data["person"], data["center"], data["rule"], data["note"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The conflict of interest was recorded."))
            return redirect(finding)
    else:
        messages.error(request, _("Choose the person, the center and the kind of conflict."))
    return redirect("findings")


def _own_person(request: HttpRequest) -> Person:
    login_first(request)
    authorize(request, "conflict.declare")
    person_id = standing(request.user).person_id
    return get_object_or_404(Person, pk=person_id)


def mine(request: HttpRequest) -> HttpResponse:
    """A person's own findings, a declaration form and, for an expert of the pool, their
    expertise."""
    person = _own_person(request)
    declaration = DeclarationForm(request.POST if "declare" in request.POST else None)
    expert = Expert.objects.filter(person=person).first()
    profile = (
        ExpertForm(request.POST if "expertise" in request.POST else None, instance=expert, own=True)
        if expert
        else None
    )
    if request.method == "POST" and declaration.is_bound and declaration.is_valid():
        data = declaration.cleaned_data
        try:
            services.declare(person, data["center"], data["rule"], data["note"], by=request.user)
        except ValidationError as error:
            declaration.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your declaration was recorded; the center's internals are closed to you."),
            )
            return redirect("findings-mine")
    if request.method == "POST" and profile is not None and profile.is_bound and profile.is_valid():
        services.save_expert(profile, person, by=request.user)
        messages.success(request, _("Your expertise was saved."))
        return redirect("findings-mine")
    return render(
        request,
        "conflicts/mine.html",
        {
            "person": person,
            "findings": person.findings.select_related("center"),
            "declaration": declaration,
            "profile": profile,
        },
    )


def expert_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's form for a person's place in the expert pool."""
    login_first(request)
    authorize(request, "pool.manage", hide=True)
    person = get_object_or_404(Person, pk=pk)
    expert = Expert.objects.filter(person=person).first()
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        services.save_expert(form, person, by=request.user)
        messages.success(request, _("The expert profile was saved."))
        return redirect("person", pk=person.pk)
    return render(
        request, "conflicts/expert_form.html", {"person": person, "form": form, "expert": expert}
    )


def _proposal_size(proposal: Proposal | None) -> int:
    """The size of the latest proposal's groups, else the smallest the program allows."""
    return proposal.size if proposal else cycles.load_cycles().working_group.size.min


def _act(request: HttpRequest, cycle: Cycle, latest: Proposal | None) -> None:
    """Carry out the action the page's form asked for; say what happened or why not."""
    action = request.POST.get("action")
    size = _proposal_size(latest)
    if action == "propose":
        form = ProposeForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose how many experts each working group has."))
        made = groups.propose(cycle, form.cleaned_data["size"], request.user)
        messages.success(request, _("The optimiser proposed working groups: see below."))
        if made.answer.get("status") not in ("optimal", "feasible"):
            messages.warning(request, _("No valid working groups exist: see why below."))
    elif action == "pair":
        pairing_form = PairingForm(request.POST, cycle=cycle)
        if not pairing_form.is_valid():
            raise ValidationError(_("Choose an expert of the pool, a center and pin or exclude."))
        data = pairing_form.cleaned_data
        groups.set_pairing(
            cycle, data["person"], data["center"], data["kind"], data["role"], request.user
        )
        messages.success(request, _("Saved: propose the working groups again to apply it."))
    elif action == "unpair":
        pairing = get_object_or_404(Pairing, pk=request.POST.get("pairing"), cycle=cycle)
        groups.remove_pairing(pairing, request.user)
        messages.success(request, _("Removed: propose the working groups again to apply it."))
    elif action == "confirm":
        chosen = get_object_or_404(Proposal, pk=request.POST.get("proposal"), cycle=cycle)
        given = groups.confirm(chosen, request.user)
        messages.success(
            request,
            _("The working groups were confirmed: %(n)s invitations were sent.") % {"n": given},
        )
    elif action == "upload":
        upload_form = ProposalUploadForm(request.POST, request.FILES)
        if not upload_form.is_valid():
            raise ValidationError(_("Choose the proposal's JSON file."))
        upload = upload_form.cleaned_data["proposal"]
        if upload.size > assignment.problem.MAX_PROBLEM_BYTES:
            raise ValidationError(
                _("The file is %(size)d bytes; the largest accepted is %(max)d bytes.")
                % {"size": upload.size, "max": assignment.problem.MAX_PROBLEM_BYTES}
            )
        groups.upload(cycle, size, upload.read(), upload.name, request.user)
        messages.success(request, _("The proposal was checked against every rule and kept."))
    else:
        raise ValidationError(_("Choose what to do: propose, pin or exclude, confirm or upload."))


def working_groups(request: HttpRequest, pk: int) -> HttpResponse:
    """Forming a cycle's working groups: the pool, the conflicts to decide first, the pins
    and exclusions, the optimiser's proposal explained, confirming it (the program office)."""
    login_first(request)
    authorize(request, "evaluation.manage", hide=True)
    cycle = get_object_or_404(Cycle.objects.select_related("center"), pk=pk)
    latest = cycle.proposals.first()
    if request.method == "POST":
        try:
            _act(request, cycle, latest)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("cycle-groups", pk=cycle.pk)
    size = _proposal_size(latest)
    proposal = groups.shown(latest)
    try:
        built = groups.build_problem(cycle, size)
    except ValidationError as error:  # the page says what to change, and lets it be changed
        built, broken = None, error.messages
    else:
        broken = []
    experts = built.problem.experts if built else []
    return render(
        request,
        "conflicts/groups.html",
        {
            "cycle": cycle,
            "latest": latest,
            "proposal": proposal,
            "group_rows": groups.member_rows(proposal, built, page_lang())
            if proposal and built
            else [],
            "blocking": built.blocking if built else [],
            "broken": broken,
            "pool": {
                "experts": len(experts),
                "abroad": sum(1 for e in experts if e.from_abroad),
                "chairs": sum(1 for e in experts if e.may_chair),
                "seats": sum(e.max_load for e in experts),
            },
            "groups_count": len(built.problem.groups) if built else 0,
            "propose_form": ProposeForm(initial={"size": size}),
            "pairing_form": PairingForm(cycle=cycle),
            "pairings": cycle.pairings.select_related("person", "center"),
            "upload_form": ProposalUploadForm(),
            "lang": page_lang(),
        },
    )


def working_groups_problem(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's problem as the file ``kyoten assign`` reads, to try variants offline."""
    login_first(request)
    authorize(request, "evaluation.manage", hide=True)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        built = groups.build_problem(cycle, _proposal_size(cycle.proposals.first()))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("cycle-groups", pk=cycle.pk)
    body = built.problem.model_dump_json(indent=2).encode()
    name = f"wpi-{cycle.cycle_type.replace('_', '-')}-fy{cycle.fiscal_year}-problem.json"
    return download(body, "application/json", name)


def working_groups_proposal(request: HttpRequest, pk: int, proposal: int) -> HttpResponse:
    """A kept proposal as JSON (the optimiser's output, with its explanation)."""
    login_first(request)
    authorize(request, "evaluation.manage", hide=True)
    chosen = get_object_or_404(Proposal, pk=proposal, cycle_id=pk)
    body = json.dumps(chosen.answer, ensure_ascii=False, indent=2).encode()
    return download(body, "application/json", f"proposal-{chosen.pk}.json")
