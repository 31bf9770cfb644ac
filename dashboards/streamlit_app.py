"""plantsync's analyst app: one entry point that lays out the pages and shows a clear empty state.

Run with `make dashboard` (or `plantsync dashboard`); it reads only the published warehouse.
"""

import streamlit as st

from dashboards.lib.warehouse import WarehouseUnavailable

st.set_page_config(page_title="plantsync", layout="wide")  # no icons: Streamlit fetches them from the web as favicons

PAGES = [
    st.Page("app_pages/network.py", title="Network", default=True),
    st.Page("app_pages/plants.py", title="Plants", url_path="plants"),
    st.Page("app_pages/inventory.py", title="Inventory", url_path="inventory"),
    st.Page("app_pages/plan.py", title="Plan", url_path="plan"),
    st.Page("app_pages/synchronization.py", title="Synchronization", url_path="synchronization"),
    st.Page("app_pages/scenarios.py", title="Scenarios", url_path="scenarios"),
    st.Page("app_pages/data_quality.py", title="Data quality", url_path="data_quality"),
    st.Page("app_pages/roi.py", title="ROI", url_path="roi"),
]

page = st.navigation(PAGES)
try:
    page.run()
except WarehouseUnavailable as problem:
    st.info(problem.message, icon="ℹ️")
