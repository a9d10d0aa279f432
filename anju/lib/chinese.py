"""Chinese dates as official documents write them."""

from datetime import date


def chinese_date(day: date | None) -> str:
    """2026年12月4日; blank spaces for a day to be written by hand."""
    if day is None:
        return "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
    return f"{day.year}年{day.month}月{day.day}日"
