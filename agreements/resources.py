"""Files the package ships: the sector vocabulary and the country aliases."""

from pathlib import Path

_PACKAGE_DATA = Path(__file__).parent / "data"
# In a source checkout or an editable install the files live in the top-level data/.
_CHECKOUT_DATA = Path(__file__).parent.parent / "data"


def data_path(name: str) -> Path:
    packaged = _PACKAGE_DATA / name
    return packaged if packaged.exists() else _CHECKOUT_DATA / name
