"""`report -o FILE.pdf`: the report's page printed to PDF by WeasyPrint, an optional extra.

WeasyPrint reads the page as it is, with its print stylesheet: the same pages a browser
prints. It is given nothing to fetch, and fetches nothing: the page has no outside
resource, and any request it made would be refused.
"""

from __future__ import annotations

from typing import IO, NoReturn

from agreements.errors import NeedsExtra

_EXTRA = "pip install 'agreements[pdf]'"


def write_pdf(page: str, stream: IO[bytes]) -> None:
    try:
        import weasyprint
    except ImportError:
        raise NeedsExtra(
            "writing a PDF needs WeasyPrint, which is not installed",
            hint=f"install the extra: {_EXTRA}; or write HTML and print it from a browser",
        ) from None
    except OSError as error:  # WeasyPrint is there, the Pango library it draws with is not
        _missing_library(error)
    document = weasyprint.HTML(string=page, url_fetcher=_refuse_fetch)
    stream.write(document.write_pdf())


def _missing_library(error: OSError) -> NoReturn:
    raise NeedsExtra(
        f"WeasyPrint cannot load the libraries it draws with ({error})",
        hint="install Pango (Debian and Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
    ) from None


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"the report fetches nothing, not {url}")
