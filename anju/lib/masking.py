"""How personal data looks wherever it is listed: masked. Seeing it in full is a reveal, which
only ``anju.cases`` grants (``services.check_reveal``), and logs."""


def mask_name(name: str) -> str:
    """张大山 → 张**: the family name only."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    """13800001111 → 138****1111; short numbers wholly masked."""
    digits = phone.replace(" ", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_address(address: str) -> str:
    """The first four characters (the village or street, not the house)."""
    return (address[:4] + "…") if len(address) > 4 else address


def mask_email(address: str) -> str:
    """z***@example.com: enough to tell two addresses apart, not enough to write to."""
    local, at, domain = address.partition("@")
    if not at:
        return "*" * len(address)
    return (local[:1] + "***" if local else "***") + "@" + domain
