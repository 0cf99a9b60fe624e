"""How the staff page tells what became of a write: every refusal of the store or the workflow becomes one
notice in the page's language (shown on the next run, above the tabs), never a traceback; nothing was
written in any of these cases."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from geo import store
from geo.imports import importer, workflow
from views.pflege_common import plain, set_notice

LOG = logging.getLogger(__name__)


@contextlib.contextmanager
def write_refused(path: Path, what: str, *, versions: bool = False) -> Iterator[None]:
    """Run a write (a button's callback); turn whatever refused it into a notice. ``versions``: an undo or
    restore, whose stale data and vanished versions are worded for the versions tab."""
    try:
        yield
    except store.StaleData:
        set_notice("warning", "steward_stale_versions" if versions else "steward_stale")
    except store.NothingToUndo:
        set_notice("warning", "steward_nothing_to_undo")
    except store.StoreBusy:
        set_notice("error", "steward_busy")
    except store.StoreReadOnly:
        LOG.warning("the data folder of %s is read-only", path, exc_info=True)
        set_notice("error", "steward_read_only", folder=plain(str(path.parent)))
    except importer.ImportRefused as refused:
        set_notice("error", "steward_refused", count=len(refused.problems))
    except workflow.OutOfScope as refused:
        set_notice("error", refused.key, sites=plain(", ".join(refused.sites)))
    except workflow.NotPermitted as refused:
        set_notice("error", refused.key, **{name: plain(str(value)) for name, value in refused.values.items()})
    except workflow.NothingToPropose:
        set_notice("info", "steward_nothing_to_propose")
    except workflow.ProposalClosed:
        set_notice("warning", "steward_proposal_closed")
    except Exception as error:
        if versions and isinstance(error, store.StoreError):  # a chosen kept version was pruned meanwhile
            LOG.warning("%s at %s was refused by the store", what, path, exc_info=True)
            set_notice("warning", "steward_version_gone")
            return
        LOG.exception("%s at %s failed", what, path)
        set_notice("error", "steward_store_error")
