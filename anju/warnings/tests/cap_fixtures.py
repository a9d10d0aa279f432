"""Small fixtures of the CAP tests: a monitoring point with its monitor and households, warnings
made directly (the lifecycle is not theirs to test), and upstream CAP documents written for the
suite."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from anju.warnings.models import Household, MonitoringPoint, Warning

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 7, 1, 14, 5, 9, 123456, tzinfo=SHANGHAI)

# The people whose names and phones must never appear in a CAP message.
MONITOR = ("王大山", "13800001234")
DEPUTY = ("赵小河", "13700002345")
HOUSEHOLD = ("李四", "13900005678", "土城社区5组12号")


def make_point(county, code="500229-HP-001", *, region=None, lat=31.905, lng=108.605, outline=None, **fields):
    point = MonitoringPoint.objects.create(
        code=code, name=fields.pop("name", "土城社区后山滑坡"), type=fields.pop("type", "landslide"),
        region=region or county.tucheng, lat=lat, lng=lng, outline=outline, scale_grade="small", households=1,
        people=4, monitor_name=MONITOR[0], monitor_phone=MONITOR[1], deputy_name=DEPUTY[0], deputy_phone=DEPUTY[1],
        **fields)
    Household.objects.create(point=point, head_name=HOUSEHOLD[0], phone=HOUSEHOLD[1], address=HOUSEHOLD[2], members=4)
    return point


def make_warning(county, *, level="orange", points=(), area=None, **fields) -> Warning:
    values = {
        "status": "issued", "origin": "staff", "hazard_type": "landslide", "headline": "葛城街道滑坡橙色预警",
        "description": "葛城街道过去3小时降雨量达到80毫米，土城社区后山坡体出现新的裂缝。",
        "instruction": "受威胁群众立即做好撤离准备，听从监测员指挥。", "expires_at": NOW + timedelta(hours=12),
        "drafted_at": NOW - timedelta(hours=1),
    }
    values.update(fields)
    warning = Warning.objects.create(level=level, area=area or county.gecheng, **values)
    warning.points.set(points)
    return warning


def upstream(*, identifier="50000041600000_20260701140000_0", sender="cq-meteo@cma.gov.cn",
             sent="2026-07-01T14:00:00+08:00", status="Actual", msg_type="Alert", references="",
             polygon="31.90,108.60 31.90,108.62 31.91,108.62 31.91,108.60 31.90,108.60",
             geocode="", level="橙色", severity="Severe", expires="2026-07-02T14:00:00+08:00",
             event="地质灾害气象风险预警", extra_info="", namespace="urn:oasis:names:tc:emergency:cap:1.2",
             english=True) -> bytes:
    """A valid upstream alert for grid 1 of the fixture county unless changed."""
    references = f"\n  <references>{references}</references>" if references else ""
    polygon = f"\n      <polygon>{polygon}</polygon>" if polygon else ""
    geocode = (f"\n      <geocode><valueName>GB/T 2260</valueName><value>{geocode}</value></geocode>"
               if geocode else "")
    english_info = f"""
  <info>
    <language>en-US</language>
    <category>Geo</category>
    <event>Geo-hazard risk warning</event>
    <urgency>Expected</urgency>
    <severity>{severity}</severity>
    <certainty>Likely</certainty>
    <expires>{expires}</expires>
    <headline>Orange geo-hazard risk warning for Chengkou</headline>
    <description>Heavy rain makes landslides likely.</description>
    <area>
      <areaDesc>Gecheng, Chengkou</areaDesc>{polygon}
    </area>
  </info>""" if english else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{namespace}">
  <identifier>{identifier}</identifier>
  <sender>{sender}</sender>
  <sent>{sent}</sent>
  <status>{status}</status>
  <msgType>{msg_type}</msgType>
  <scope>Public</scope>{references}
  <info>
    <language>zh-CN</language>
    <category>Geo</category>
    <event>{event}</event>
    <urgency>Expected</urgency>
    <severity>{severity}</severity>
    <certainty>Likely</certainty>
    <expires>{expires}</expires>
    <senderName>重庆市气象台</senderName>
    <headline>城口县地质灾害气象风险{level}预警</headline>
    <description>预计未来24小时城口县葛城街道降雨量可达100毫米，发生滑坡、泥石流的风险高。</description>
    <instruction>请做好防范和撤离准备。</instruction>{extra_info}
    <parameter><valueName>预警级别</valueName><value>{level}</value></parameter>
    <area>
      <areaDesc>城口县葛城街道</areaDesc>{polygon}{geocode}
    </area>
  </info>{english_info}
</alert>
""".encode()
