from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Opaque cursors that stay stable while new objects are added."""

    ordering = "-created_at"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "limit"
