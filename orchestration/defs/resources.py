"""Resources shared by the pipeline's assets."""


from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from orchestration.config import NetworkConfig, load_config
from orchestration.sources import simulated_sources


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
        with simulated_sources(self.network()) as urls:
            self._simulated_urls.update(urls)
            yield self
