from django.urls import path

from anju.hazards.views import documents, pages

app_name = "hazards"

urlpatterns = [
    path("work/hazards/", pages.workbench, name="workbench"),
    path("work/hazards/<int:case_id>/", pages.detail, name="detail"),
    path("work/hazards/<int:case_id>/act/<slug:action>/", pages.act, name="act"),
    path("work/hazards/<int:case_id>/orders/<int:number>/print/", documents.order_print, name="order_print"),
    path("work/hazards/<int:case_id>/orders/<int:number>/order.docx", documents.order_docx, name="order_docx"),
    path("work/hazards/<int:case_id>/orders/<int:number>/reinspection/print/", documents.reinspection_print,
         name="reinspection_print"),
    path("work/hazards/<int:case_id>/orders/<int:number>/reinspection.docx", documents.reinspection_docx,
         name="reinspection_docx"),
    path("work/hazards/ledger/", documents.ledger_page, name="ledger_page"),
    path("work/hazards/ledger.xlsx", documents.ledger, name="ledger"),
    path("work/hazards/sites/", pages.sites, name="sites"),
    path("work/hazards/sites/new/", pages.site_new, name="site_new"),
    path("work/hazards/sites/import/", documents.sites_import, name="sites_import"),
    path("work/hazards/sites/import/template.xlsx", documents.sites_template, name="sites_template"),
    path("work/hazards/sites/map.json", pages.sites_geojson, name="sites_geojson"),
    path("work/hazards/sites/<int:site_id>/", pages.site_detail, name="site_detail"),
    path("work/hazards/sites/<int:site_id>/edit/", pages.site_edit, name="site_edit"),
    path("work/hazards/sites/<int:site_id>/inspect/", pages.inspect, name="inspect"),
    path("work/hazards/inspections/<int:inspection_id>/", pages.inspection_detail, name="inspection_detail"),
    path("work/hazards/inspections/<int:inspection_id>/photos/<int:photo_id>/", pages.inspection_photo,
         name="inspection_photo"),
    path("work/hazards/campaigns/", pages.campaigns, name="campaigns"),
    path("work/hazards/campaigns/new/", pages.campaign_new, name="campaign_new"),
    path("work/hazards/campaigns/<int:campaign_id>/", pages.campaign_detail, name="campaign_detail"),
    path("work/hazards/campaigns/<int:campaign_id>/close/", pages.campaign_close, name="campaign_close"),
]
