"""The network config: validated on load, with errors that name the key, the plant and what was expected."""

import pytest
import yaml

from orchestration.config import ConfigError, load_config
from orchestration.core.paths import DEMO_CONFIG


def write(tmp_path, change):
    raw = yaml.safe_load(DEMO_CONFIG.read_text())
    change(raw)
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_demo_config_loads():
    config = load_config(DEMO_CONFIG)
    assert [p.code for p in config.plants] == ["DE1", "DE2", "DE3", "MX1"]
    assert config.plant("MX1").currency == "MXN"
    assert config.plant("DE2").erp["token_env"] == "PLANTSYNC_DE2_TOKEN"


@pytest.mark.parametrize("change, expected", [
    (lambda r: r["plants"][1]["erp"].pop("token_env"), "plants[DE2].erp: 'token_env' is a required property"),
    (lambda r: r["plants"][3].update(currency="pesos"), "plants[MX1].currency: 'pesos' does not match"),
    (lambda r: r["plants"][0]["erp"].update(kind="oracle"), "erp.kind must be one of"),
    (lambda r: r["plants"][2].update(time_zone="Mars/Olympus"), "plants[DE3].time_zone: unknown time zone"),
    (lambda r: r["lanes"][0].update(to="XX9"), "'XX9' is not a plant or customer"),
    (lambda r: r["plants"][1].update(code="DE1"), "plant code 'DE1' appears more than once"),
    (lambda r: r["lanes"][0].update(transit_days=-1), "transit_days: -1 is less than the minimum of 0"),
    (lambda r: r.update(automation={"enabled": "yes"}), "automation.enabled: 'yes' is not of type 'boolean'"),
    (lambda r: r.update(automation={"enable": True}), "automation: Additional properties are not allowed ('enable'"),
])
def test_errors_name_the_place(tmp_path, change, expected):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, change))
    assert expected in str(error.value)


def test_automation_is_off_unless_the_config_turns_it_on(tmp_path):
    assert load_config(DEMO_CONFIG).automation_enabled is False
    assert load_config(write(tmp_path, lambda r: r.update(automation={"enabled": True}))).automation_enabled is True


def test_adding_a_plant_is_adding_an_entry(tmp_path):
    def add(raw):
        extra = dict(raw["plants"][0], code="PL5", name="Poznan Discs", country="PL", currency="PLN",
                     time_zone="Europe/Warsaw")
        raw["plants"].append(extra)
    config = load_config(write(tmp_path, add))
    assert config.plant("PL5").erp_kind == "sap_files"
