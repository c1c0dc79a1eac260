"""`where`, and the first run: which register file is in use, why, and how to begin one."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from agreements.store.location import ENV_VARIABLE, DbSource

_WHY = {
    DbSource.OPTION: "given with --db",
    DbSource.ENVIRONMENT: f"from {ENV_VARIABLE}",
    DbSource.DEFAULT: f"the default: no --db, and {ENV_VARIABLE} is not set",
}
FIRST_AGREEMENT = 'add --party "Aarhus, Denmark" --party "Bergen, Norway"'


@dataclass(frozen=True)
class Whereabouts:
    """The register file in use and what is there."""

    path: Path
    source: DbSource
    db_option: str | None
    exists: bool
    agreements: int | None = None
    problem: str | None = None

    def command(self, rest: str) -> str:
        """An agreements command line that works on this register, indented by two; one
        too long for 80 columns goes on in a second line, as a shell reads it."""
        start = "agreements"
        if self.source is DbSource.OPTION and self.db_option is not None:
            start += f" --db {shlex.quote(self.db_option)}"
        if len(start) + len(rest) + 3 > 80:
            return f"  {start} \\\n    {rest}"
        return f"  {start} {rest}"


def why(source: DbSource) -> str:
    return _WHY[source]


def where_text(where: Whereabouts) -> str:
    if where.problem is not None:
        holds = f"a file that cannot be read as a register: {where.problem}"
    elif where.agreements is not None:
        holds = f"{where.agreements} agreement{'' if where.agreements == 1 else 's'}"
    else:
        holds = "no register yet; 'agreements add' or 'agreements import' starts it"
    return "\n".join(
        (f"Register: {where.path}", f"Chosen:   {why(where.source)}", f"Holds:    {holds}")
    )


def where_data(where: Whereabouts) -> dict[str, object]:
    return {
        "path": str(where.path),
        "source": where.source.value,
        "exists": where.exists,
        "agreements": where.agreements,
        "problem": where.problem,
    }


def first_run_text(where: Whereabouts) -> str:
    """What a table shows instead of nothing while there is no register file."""
    return "\n".join(
        (
            "No register yet. It will be",
            f"  {where.path}",
            f"({why(where.source)}).",
            "Add the first agreement (add asks for the type and what else it needs):",
            where.command(FIRST_AGREEMENT),
            "or import a list of them (CSV, TSV, JSON or JSON Lines):",
            where.command("import FILE"),
        )
    )
