"""Checks shared by the API's parsers and the services that store customer JSON."""


def has_nul(value) -> bool:
    """Whether a NUL character hides anywhere in VALUE (strings, keys, nested lists and
    objects). PostgreSQL cannot store one in a text or JSON column."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False
