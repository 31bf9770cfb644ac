"""Resources shared by the pipeline's assets."""


from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from orchestration.config import NetworkConfig, load_config
from orchestration.sources import SOURCE_KINDS


class PlantSources(dg.ConfigurableResource):
    """The network's sources and the warehouse they load into.

    For a source its kind simulates (a cloud ERP configured as `base_url: simulator`) it starts the
    bundled simulator on a free loopback port for the length of the run and stops it after.
    """

    config_path: str
    warehouse_path: str
    _simulated_urls: dict[str, str] = PrivateAttr(default_factory=dict)

    def network(self) -> NetworkConfig:
        return load_config(self.config_path)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @property
    def simulated_urls(self) -> dict[str, str]:
        return self._simulated_urls

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["PlantSources"]:
        config = self.network()
        with ExitStack() as stack:
            for plant in config.plants:
                simulate = SOURCE_KINDS[plant.erp_kind].simulate
                simulator = simulate and simulate(config, plant)
                if simulator:
                    self._simulated_urls[plant.code] = stack.enter_context(simulator).url
            yield self
