"""The one error shape a service raises when it refuses a change."""


class ServiceError(Exception):
    """A refused change. ``status`` is the HTTP status an API answers with: 400/422 for bad
    input (``field`` names it), 403 for a permission, 404 for something not found, 409 for the
    record's current state."""

    def __init__(self, message: str, *, status: int = 409, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
