"""Addresses of the conflict-of-interest pages (under /conflicts/)."""

from django.urls import path

from kyoten.conflicts import views

urlpatterns = [
    path("", views.finding_list, name="findings"),
    path("<int:pk>/", views.finding_detail, name="finding"),
    path("detect/", views.finding_detect, name="findings-detect"),
    path("record/", views.finding_record, name="findings-record"),
    path("mine/", views.mine, name="findings-mine"),
]
