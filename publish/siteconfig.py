"""The site's configuration: mkdocs.yml with the organisation's settings under ``extra.woo``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def find_config(option: str | None) -> Path:
    """--config, else ./mkdocs.yml, else the one beside this package (an editable install)."""
    if option:
        return Path(option)
    here = Path("mkdocs.yml")
    if here.is_file():
        return here
    return PROJECT_ROOT / "mkdocs.yml"


@dataclass
class SiteConfig:
    path: Path
    name: str
    base_url: str  # absolute, ends with "/"
    organisation: str
    allowed_personal_data: list[str] = field(default_factory=list)
    tooi: str = ""  # TOOI identifier of the publishing organisation (Woo-index)
    organisation_tooi: dict[str, str] = field(default_factory=dict)  # organisation name -> TOOI
    contact: dict = field(default_factory=dict)
    raw_extra: dict = field(default_factory=dict)


def load_site_config(path: Path) -> SiteConfig:
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold mkdocs-specific tags (!ENV, !!python/name); read them as plain values.
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    extra = (data.get("extra") or {}).get("woo") or {}
    base = str(data.get("site_url") or "https://woo.example.nl/")
    if not base.endswith("/"):
        base += "/"
    return SiteConfig(
        path=path,
        name=str(data.get("site_name") or "Woo-besluiten"),
        base_url=base,
        organisation=str(extra.get("organisatie") or data.get("site_name") or ""),
        allowed_personal_data=[str(v) for v in (extra.get("toegestane_gegevens") or [])],
        tooi=str(extra.get("tooi") or ""),
        organisation_tooi={str(k): str(v) for k, v in (extra.get("organisaties") or {}).items()},
        contact=dict(extra.get("contact") or {}),
        raw_extra=extra,
    )
