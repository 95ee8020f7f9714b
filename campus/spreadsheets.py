"""What every CSV and XLSX download shares.

People type names, schools and titles themselves: a value starting with = + - @
(or a tab or carriage return) would run as a formula when the file is opened in a
spreadsheet, so such values are exported behind an apostrophe (OWASP's advice on
CSV injection).
"""

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text that a spreadsheet would take for a formula, kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
