"""The Content-Security-Policy of every response: scripts, styles, fonts and data only from Anju
itself, no inline script, no plugins, no framing; images also as data: URLs (Leaflet's and the
Swagger UI's icons) and from the map tile server when one is set (``ANJU_TILE_URL``).

Django 5.2 has no CSP support of its own (it comes with 6.0, which needs Python 3.12), hence this
small middleware. No page has an inline script or event handler, so no nonce is needed."""

from urllib.parse import urlsplit

from django.conf import settings

from anju.lib.env import ConfigError


def tile_source(tile_url: str) -> str:
    """The CSP source of a Leaflet tile URL template: its scheme and host, the ``{s}`` subdomain
    (a, b, c ...) as a wildcard. https://{s}.tiles.example/{z}/{x}/{y}.png → https://*.tiles.example."""
    parts = urlsplit(tile_url)
    labels = parts.netloc.split(".")
    if labels and "{" in labels[0]:
        labels[0] = "*"
    host = ".".join(labels)
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in host or "}" in host:
        raise ConfigError(f"ANJU_TILE_URL must be an http(s) URL template with a fixed host, got {tile_url!r}")
    return f"{parts.scheme}://{host}"


def policy(tile_url: str = "") -> str:
    """The policy, with the tile server of ``tile_url`` (if any) allowed for images."""
    images = ["'self'", "data:"] + ([tile_source(tile_url)] if tile_url else [])
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": images,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sets ``settings.CONTENT_SECURITY_POLICY`` on every response that has none of its own. With
    DEBUG on, the browser only reports what the policy would block: Django's debug pages are made
    of inline styles and scripts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            header = "Content-Security-Policy-Report-Only" if settings.DEBUG else "Content-Security-Policy"
            response.headers.setdefault(header, settings.CONTENT_SECURITY_POLICY)
        return response
