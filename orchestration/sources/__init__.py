"""The registry of source kinds: the one place plantsync asks what kinds of source exist.

Each kind lives in its own package here (`sap_files`, `cloud_api`, `plant_db`, `generic` for ERPs;
`events` for machine and quality feeds; `reference` for the network's reference data) and builds one
`SourceKind`: its `erp` settings, its entities with their fields, its connector, its demo writer and
its facts (raw prefix, inventory entity, work-center list, file-based, empty values). Adding a kind is
adding a package and one line in `SOURCE_KINDS`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from orchestration.sources import cloud_api, events, generic, plant_db, reference, sap_files
from orchestration.sources.connector import Connector
from orchestration.sources.kind import SourceEntity, SourceKind
from orchestration.sources.reference import REFERENCE_SITE

if TYPE_CHECKING:
    from orchestration.config import NetworkConfig, Plant

EVENTS = events.KIND
REFERENCE = reference.KIND

SOURCE_KINDS: dict[str, SourceKind] = {kind.name: kind for kind in (
    sap_files.KIND, cloud_api.KIND, plant_db.KIND, generic.KIND, EVENTS, REFERENCE)}


def erp_kinds() -> list[SourceKind]:
    """The kinds a plant's `erp` block may name, in registry order."""
    return [kind for kind in SOURCE_KINDS.values() if kind.is_erp]


def source_entities() -> Iterator[SourceEntity]:
    """Every entity of every kind: one raw table each (`raw_table`, with its columns `fields`)."""
    for kind in SOURCE_KINDS.values():
        yield from kind.entities


def plant_entities(plant: Plant) -> list[SourceEntity]:
    """Everything extracted for a plant: its ERP's entities, then its machine and quality events."""
    return [*SOURCE_KINDS[plant.erp_kind].entities, *EVENTS.entities]


def erp_connector(config: NetworkConfig, plant: Plant, simulated: Mapping[str, str]) -> Connector:
    """The connector for a plant's ERP; `simulated` gives the address of each plant's simulated source."""
    return SOURCE_KINDS[plant.erp_kind].connect(config, plant, simulated)


def events_connector(config: NetworkConfig, plant: Plant) -> Connector:
    return EVENTS.connect(config, plant, {})


def reference_connector(config: NetworkConfig) -> Connector:
    return REFERENCE.connect(config, None, {})


@contextmanager
def simulated_sources(config: NetworkConfig) -> Iterator[dict[str, str]]:
    """Each simulated source (a cloud ERP configured as `base_url: simulator`) served on a free loopback
    port while the block runs: the address of each, by plant."""
    with ExitStack() as stack:
        urls = {}
        for plant in config.plants:
            simulate = SOURCE_KINDS[plant.erp_kind].simulate
            simulator = simulate and simulate(config, plant)
            if simulator:
                urls[plant.code] = stack.enter_context(simulator).url
        yield urls


__all__ = ["EVENTS", "REFERENCE", "REFERENCE_SITE", "SOURCE_KINDS", "Connector", "SourceEntity", "SourceKind",
           "erp_connector", "erp_kinds", "events_connector", "plant_entities", "reference_connector",
           "simulated_sources", "source_entities"]
