"""Resources shared by the pipeline's assets."""


import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from orchestration.config import NetworkConfig, load_config
from orchestration.erp.cloud_simulator import CloudErpSimulator


class PlantSources(dg.ConfigurableResource):
    """The network's sources and the warehouse they load into.

    For cloud ERPs configured as `base_url: simulator` it starts the bundled API simulator on a free
    loopback port for the length of the run (with a fresh token when none is set) and stops it after.
    """

    config_path: str
    warehouse_path: str
    _cloud_urls: dict[str, str] = PrivateAttr(default_factory=dict)

    def network(self) -> NetworkConfig:
        return load_config(self.config_path)

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)

    @property
    def cloud_urls(self) -> dict[str, str]:
        return self._cloud_urls

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["PlantSources"]:
        config = self.network()
        with ExitStack() as stack:
            for plant in config.plants:
                erp = plant.erp
                if erp["kind"] != "cloud_api" or erp["base_url"] != "simulator":
                    continue
                token = os.environ.setdefault(erp["token_env"], secrets.token_urlsafe(24))
                data = config.resolve(erp.get("simulator_data", f"{plant.code}/cloud"))
                simulator = stack.enter_context(CloudErpSimulator(data, token))
                self._cloud_urls[plant.code] = simulator.url
            yield self
