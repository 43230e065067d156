"""Addresses of the evaluation pages (under /evaluation/)."""

from django.urls import path

from kyoten.evaluation import views

urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("new/", views.cycle_new, name="cycle-new"),
    path("<int:pk>/", views.cycle_detail, name="cycle"),
    path("<int:pk>/publish/", views.cycle_publish, name="cycle-publish"),
    path("<int:pk>/results-<str:lang>.pdf", views.cycle_pdf, name="cycle-pdf"),
    path("<int:pk>/export.xlsx", views.cycle_export, name="cycle-export"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/seats/", views.case_seat, name="case-seat"),
    path("cases/<int:pk>/pin/", views.case_pin, name="case-pin"),
    path("cases/<int:pk>/review/", views.case_review, name="case-review"),
    path("cases/<int:pk>/consolidation/", views.case_consolidate, name="case-consolidate"),
    path("cases/<int:pk>/result/", views.case_result, name="case-result"),
    path("cases/<int:pk>/visits/", views.case_visit_new, name="visit-new"),
    path("cases/<int:pk>/documents/", views.case_documents, name="case-documents"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>.ics", views.visit_ics, name="visit-ics"),
    path("seats/<int:pk>/answer/", views.seat_answer, name="seat-answer"),
    path("seats/<int:pk>/conflict/", views.seat_conflict, name="seat-conflict"),
    path("reviews/<int:pk>/reopen/", views.review_reopen, name="review-reopen"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path(
        "recommendations/<int:pk>/",
        views.recommendation_update,
        name="recommendation-update",
    ),
]
