"""The points register's pages: the list, the map, a point's page and forms, its households and
their 避险明白卡, the three checks of the year, and the threshold rules with their import."""

from django.urls import path

from anju.warnings.views import points, points_documents, points_rules

urlpatterns = [
    path("work/warnings/points/", points.points_list, name="points"),
    path("work/warnings/points/export.xlsx", points.points_export, name="points_export"),
    path("work/warnings/points/map/", points.points_map, name="points_map"),
    path("work/warnings/points/map.json", points.points_geojson, name="points_geojson"),
    path("work/warnings/points/new/", points.point_new, name="point_new"),
    path("work/warnings/points/checks/", points_documents.checks, name="points_checks"),
    path("work/warnings/points/<int:point_id>/", points.point_detail, name="point_detail"),
    path("work/warnings/points/<int:point_id>/edit/", points.point_edit, name="point_edit"),
    path("work/warnings/points/<int:point_id>/active/", points.point_active, name="point_active"),
    path("work/warnings/points/<int:point_id>/readings/", points.point_reading, name="point_reading"),
    path("work/warnings/points/<int:point_id>/monitors/", points.monitors_reveal, name="monitors_reveal"),
    path("work/warnings/points/<int:point_id>/checks/", points.point_check, name="point_check"),
    path("work/warnings/points/<int:point_id>/devices/", points.point_device_new, name="point_device_new"),
    path("work/warnings/points/<int:point_id>/devices/<int:device_id>/active/", points.point_device_active,
         name="point_device_active"),
    path("work/warnings/points/<int:point_id>/households/new/", points.household_new, name="household_new"),
    path("work/warnings/points/<int:point_id>/households/<int:household_id>/edit/", points.household_edit,
         name="household_edit"),
    path("work/warnings/points/<int:point_id>/households/<int:household_id>/remove/", points.household_remove,
         name="household_remove"),
    path("work/warnings/points/<int:point_id>/households/<int:household_id>/reveal/", points.household_reveal,
         name="household_reveal"),
    path("work/warnings/points/<int:point_id>/households/<int:household_id>/card/", points_documents.card,
         name="household_card"),
    path("work/warnings/points/<int:point_id>/cards/", points_documents.cards, name="point_cards"),
    path("work/warnings/rules/", points_rules.rules_page, name="rules"),
    path("work/warnings/rules/<int:rule_id>/edit/", points_rules.rule_edit, name="rule_edit"),
    path("work/warnings/rules/<int:rule_id>/delete/", points_rules.rule_delete, name="rule_delete"),
    path("work/warnings/rules/import/", points_rules.rules_import, name="rules_import"),
    path("work/warnings/rules/import/template.xlsx", points_rules.rules_template, name="rules_template"),
]
