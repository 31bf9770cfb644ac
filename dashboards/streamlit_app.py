"""plantsync's analyst app: one entry point that lays out the pages and shows a clear empty state.

Run with `make dashboard` (or `plantsync dashboard`); it reads only the published warehouse.
"""

import streamlit as st

from dashboards.lib.warehouse import WarehouseUnavailable

st.set_page_config(page_title="plantsync", page_icon="🏭", layout="wide")

PAGES = [
    st.Page("app_pages/network.py", title="Network", icon="🌐", url_path="network", default=True),
    st.Page("app_pages/plants.py", title="Plants", icon="🏭", url_path="plants"),
    st.Page("app_pages/inventory.py", title="Inventory", icon="📦", url_path="inventory"),
    st.Page("app_pages/plan.py", title="Plan", icon="🗓️", url_path="plan"),
    st.Page("app_pages/synchronization.py", title="Synchronization", icon="🔗", url_path="synchronization"),
    st.Page("app_pages/scenarios.py", title="Scenarios", icon="🧪", url_path="scenarios"),
    st.Page("app_pages/data_quality.py", title="Data quality", icon="✅", url_path="data_quality"),
    st.Page("app_pages/roi.py", title="ROI", icon="💶", url_path="roi"),
]

page = st.navigation(PAGES)
try:
    page.run()
except WarehouseUnavailable as problem:
    st.info(problem.message, icon="ℹ️")
