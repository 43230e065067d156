"""URLs of the program office web application."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kyoten.accounts import views as accounts
from kyoten.accounts.forms import ThrottledAuthenticationForm
from kyoten.audit.views import audit_export, audit_log
from kyoten.conflicts import views as conflicts
from kyoten.evaluation import api as evaluation_api
from kyoten.evaluation import views as evaluation_views
from kyoten.people import views as people
from kyoten.registry import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("centers/", views.center_list, name="centers"),
    path("centers/<slug:key>/", views.center_detail, name="center"),
    path("centers/<slug:key>/decisions/new/", views.decision_new, name="decision-new"),
    path(
        "centers/<slug:key>/decisions/<int:pk>/correct/",
        views.decision_correct,
        name="decision-correct",
    ),
    path(
        "centers/<slug:key>/decisions/<int:pk>/withdraw/",
        views.decision_withdraw,
        name="decision-withdraw",
    ),
    path("centers/<slug:key>/plans/", views.plan_upload, name="plan-upload"),
    path("centers/<slug:key>/grants/new/", views.grant_new, name="grant-new"),
    path("rulebook/", views.rulebook, name="rulebook"),
    path("check/", views.check_plan, name="check"),
    path("committee/", views.committee, name="committee"),
    path("audit/", audit_log, name="audit"),
    path("audit/export.csv", audit_export, name="audit-export"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", people.people_list, name="people"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/expert/", conflicts.expert_profile, name="person-expert"),
    path("conflicts/", include("kyoten.conflicts.urls")),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/invite/", accounts.account_invite, name="account-invite"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account"),
    path("accounts/<int:pk>/role/", accounts.account_role, name="account-role"),
    path("accounts/<int:pk>/active/", accounts.account_active, name="account-active"),
    path("accounts/<int:pk>/invitation/", accounts.account_reinvite, name="account-reinvite"),
    path(
        "accounts/welcome/<uidb64>/<token>/",
        accounts.WelcomeView.as_view(),
        name="account-welcome",
    ),
    path("", include("kyoten.submissions.urls")),
    path("evaluation/", include("kyoten.evaluation.urls")),
    path("evaluation/<int:pk>/groups/", conflicts.working_groups, name="cycle-groups"),
    path(
        "evaluation/<int:pk>/groups/problem.json",
        conflicts.working_groups_problem,
        name="cycle-groups-problem",
    ),
    path(
        "evaluation/<int:pk>/groups/proposal-<int:proposal>.json",
        conflicts.working_groups_proposal,
        name="cycle-groups-proposal",
    ),
    path("tasks/", evaluation_views.tasks, name="tasks"),
    path("api/evaluation/cycles/", evaluation_api.cycles, name="api-cycles"),
    path("api/evaluation/cycles/<int:pk>/", evaluation_api.cycle, name="api-cycle"),
    path(
        "api/evaluation/cycles/<int:pk>/publish/",
        evaluation_api.publish,
        name="api-cycle-publish",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "kyoten.web.errors.bad_request"
handler403 = "kyoten.web.errors.permission_denied"
handler404 = "kyoten.web.errors.page_not_found"
handler500 = "kyoten.web.errors.server_error"
