"""The module's pages: the points register and readings (``urls_points``), warnings with their
acknowledgements and evacuations (``urls_warnings``), and the public CAP feed and messages with
the upstream import page (``urls_cap``)."""

from anju.warnings.urls_cap import urlpatterns as cap
from anju.warnings.urls_points import urlpatterns as points
from anju.warnings.urls_warnings import urlpatterns as warnings

app_name = "warnings"

urlpatterns = [*points, *warnings, *cap]
