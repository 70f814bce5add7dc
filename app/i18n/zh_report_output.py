"""Chinese for the report output area (see app/i18n/__init__.py)."""

TEXT_ZH: dict[str, str] = {
}
