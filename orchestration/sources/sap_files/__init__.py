"""SAP-style flat-file extracts: `<TABLE>_<YYYYMMDD>.csv`, `;` separated, SAP field names, decimal
commas, YYYYMMDD dates (00000000 = none), SAP unit codes.

Purchasing documents (EKKO headers, EKPO items, EKET schedule lines) hold both kinds SAP keeps there: a
stock transport order (document type UB) names its supplying plant in EKPO.RESWK and becomes a transfer;
a purchase order (NB) leaves RESWK empty and buys from the header's vendor, EKKO.LIFNR."""

from __future__ import annotations

from orchestration.sources.files import FOLDER_SETTINGS, connect_folder
from orchestration.sources.kind import SourceKind, entity
from orchestration.sources.sap_files import writeback
from orchestration.sources.sap_files.connector import SapFileConnector
from orchestration.sources.sap_files.demo import DEMO

ENTITIES = (
    entity("mara", "MARA", "MATNR MTART MATKL MEINS MAKTX BRGEW GEWEI", "MATNR", item="MATNR", unit="MEINS",
           required="MATNR MEINS", non_negative="BRGEW", sap_decimal="BRGEW"),
    entity("marc", "MARC", "MATNR WERKS EISBE PLIFZ DISPO BESKZ", "MATNR WERKS", item="MATNR",
           required="MATNR WERKS", non_negative="EISBE PLIFZ", own_plant="WERKS", kinds={"count": "PLIFZ"},
           sap_decimal="EISBE", integer="PLIFZ"),
    entity("mard", "MARD", "MATNR WERKS LGORT STICHTAG LABST INSME SPEME", "MATNR WERKS LGORT STICHTAG",
           item="MATNR", required="MATNR WERKS LGORT STICHTAG LABST", non_negative="LABST INSME SPEME",
           own_plant="WERKS", sap_date="STICHTAG", sap_decimal="LABST INSME SPEME"),
    entity("vbak", "VBAK", "VBELN ERDAT AUART KUNNR WAERK VKORG", "VBELN", required="VBELN ERDAT KUNNR",
           sap_date="ERDAT"),
    entity("vbap", "VBAP", "VBELN POSNR MATNR WERKS KWMENG VRKME NETWR WAERK", "VBELN POSNR", item="MATNR",
           unit="VRKME", required="VBELN POSNR MATNR WERKS KWMENG VRKME", non_negative="KWMENG NETWR",
           plants="WERKS", kinds={"amount": "NETWR"}, sap_decimal="KWMENG NETWR"),
    entity("vbep", "VBEP", "VBELN POSNR ETENR EDATU WMENG BMENG", "VBELN POSNR ETENR",
           required="VBELN POSNR ETENR EDATU", non_negative="WMENG BMENG", sap_date="EDATU",
           sap_decimal="WMENG BMENG"),
    entity("lips", "LIPS", "VBELN POSNR VGBEL VGPOS MATNR WERKS LFIMG VRKME WADAT_IST", "VBELN POSNR",
           item="MATNR", unit="VRKME", required="VBELN POSNR MATNR WERKS LFIMG VRKME", non_negative="LFIMG",
           plants="WERKS", sap_decimal="LFIMG", sap_date="WADAT_IST"),
    entity("afko", "AFKO", "AUFNR GSTRP GLTRP GETRI GAMNG IGMNG IASMG GMEIN ARBPL FTRMI", "AUFNR", unit="GMEIN",
           required="AUFNR GSTRP GLTRP GAMNG GMEIN ARBPL", non_negative="GAMNG IGMNG IASMG",
           work_centers="ARBPL", sap_date="GSTRP GLTRP GETRI FTRMI", sap_decimal="GAMNG IGMNG IASMG"),
    entity("afpo", "AFPO", "AUFNR POSNR MATNR PSMNG WEMNG AMEIN PWERK", "AUFNR POSNR", item="MATNR",
           unit="AMEIN", required="AUFNR POSNR MATNR PSMNG AMEIN PWERK", non_negative="PSMNG WEMNG",
           plants="PWERK", sap_decimal="PSMNG WEMNG"),
    entity("crhd", "CRHD", "OBJID ARBPL WERKS KTEXT VERWE KAPID", "OBJID", lists_work_centers="ARBPL",
           required="OBJID ARBPL WERKS KAPID", own_plant="WERKS"),
    entity("kako", "KAKO", "KAPID KAPAR BEGZT ENDZT PAUSE NGRAD AZNOR", "KAPID", required="KAPID BEGZT ENDZT",
           non_negative="BEGZT ENDZT PAUSE NGRAD AZNOR",
           kinds={"seconds": "BEGZT ENDZT PAUSE", "percent": "NGRAD", "count": "AZNOR"},
           integer="BEGZT ENDZT PAUSE NGRAD AZNOR"),
    entity("ekko", "EKKO", "EBELN BSART LIFNR BEDAT WAERS", "EBELN", required="EBELN BSART BEDAT",
           sap_date="BEDAT"),
    entity("ekpo", "EKPO", "EBELN EBELP MATNR WERKS RESWK MENGE MEINS NETPR BEDAT EINDT WEDAT LOEKZ",
           "EBELN EBELP", item="MATNR", unit="MEINS", required="EBELN EBELP MATNR WERKS MENGE MEINS BEDAT EINDT",
           non_negative="MENGE NETPR", plants="WERKS RESWK", kinds={"price": "NETPR"}, sap_decimal="MENGE NETPR",
           sap_date="BEDAT EINDT WEDAT"),
    entity("eket", "EKET", "EBELN EBELP ETENR EINDT MENGE WEMNG", "EBELN EBELP ETENR",
           required="EBELN EBELP ETENR EINDT MENGE", non_negative="MENGE WEMNG", sap_date="EINDT",
           sap_decimal="MENGE WEMNG"),
)

KIND = SourceKind(
    name="sap_files", raw_prefix="sap", entities=ENTITIES,
    settings=FOLDER_SETTINGS, required_settings=("path",), connect=connect_folder(SapFileConnector), write_back=writeback.connect,
    demo=DEMO, inventory_entity="mard", file_based=True)
