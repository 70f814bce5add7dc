"""Chinese for the search area (see app/i18n/__init__.py)."""

TEXT_ZH: dict[str, str] = {
}
