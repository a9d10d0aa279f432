"""Vocabularies of safety hazards (安全隐患排查整治): the ledger loop 排查 → 登记 → 整改 → 复查 → 销号."""

from django.db import models
from django.utils.translation import gettext_lazy as _

HAZARD = "hazard"


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("General hazard (一般隐患)")
    MAJOR = "major", _("Major hazard (重大隐患)")


class ItemResult(models.TextChoices):
    PASS = "pass", _("Passed (合格)")
    HAZARD = "hazard", _("Hazard found (发现隐患)")
    NOT_APPLICABLE = "na", _("Not applicable (不适用)")


class HazardStage(models.TextChoices):
    """Where a hazard is in its loop, beside the case's status."""

    FOUND = "found", _("Found, no order yet (已登记)")
    RECTIFYING = "rectifying", _("Being rectified (整改中)")
    REINSPECTION = "reinspection", _("Waiting for re-inspection (待复查)")
    CLOSED = "closed", _("Closed (已销号)")


class RoundResult(models.TextChoices):
    PENDING = "", _("Not re-inspected yet")
    PASSED = "passed", _("Passed (复查合格)")
    FAILED = "failed", _("Failed (复查不合格)")


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("Listed (挂牌督办中)")
    DELISTED = "delisted", _("Delisted (已摘牌)")


class CampaignStatus(models.TextChoices):
    RUNNING = "running", _("Running (进行中)")
    CLOSED = "closed", _("Closed (已结束)")


class HazardEvent(models.TextChoices):
    """The hazard module's events on a case's timeline."""

    INSPECTION = "hazard_found", _("Found at an inspection (排查发现)")
    SITE_LINKED = "hazard_site_linked", _("Linked to a site (关联场所)")
    ORDER = "hazard_order", _("Rectification order issued (下达整改通知)")
    WORK_STOPPED = "hazard_work_stopped", _("Affected work stopped (停止作业)")
    PLAN = "hazard_plan", _("Rectification plan received (整改方案)")
    RECTIFIED = "hazard_rectified", _("Rectification reported done (整改完成)")
    REINSPECTION_PASSED = "hazard_reinspection_passed", _("Re-inspection passed (复查合格)")
    REINSPECTION_FAILED = "hazard_reinspection_failed", _("Re-inspection failed (复查不合格)")
    LISTED = "hazard_listed", _("Listed for supervision (挂牌督办)")
    PROGRESS = "hazard_progress", _("Progress of listed supervision (督办进展)")
    DELISTED = "hazard_delisted", _("Delisted (摘牌)")
    INCIDENT = "hazard_incident", _("Incident reported from it (报告突发事件)")
