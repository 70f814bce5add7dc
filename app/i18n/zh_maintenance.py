"""Chinese for the maintenance area (see app/i18n/__init__.py)."""

TEXT_ZH: dict[str, str] = {
}
