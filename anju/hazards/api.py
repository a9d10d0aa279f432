"""The hazards API: /api/v1/sites, /api/v1/inspections, /api/v1/hazards and /api/v1/campaigns."""

from ninja import Router

sites_router = Router(tags=["sites"])
inspections_router = Router(tags=["inspections"])
hazards_router = Router(tags=["hazards"])
campaigns_router = Router(tags=["campaigns"])
