"""JSON bodies without NUL characters: PostgreSQL cannot store them in text or JSON
columns, so a request carrying one would otherwise fail as a server error."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from saas.validation import has_nul


class NulFreeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if has_nul(data):
            raise ParseError("Text in the request may not contain NUL characters (\\u0000).")
        return data
