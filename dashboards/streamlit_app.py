"""plantsync's analyst app: one entry point that lays out the pages and shows a clear empty state.

Run with `make dashboard` (or `plantsync dashboard`); it reads only the published warehouse.
"""

import streamlit as st

from dashboards.lib.warehouse import WarehouseUnavailable

st.set_page_config(page_title="plantsync", layout="wide")  # no icons: Streamlit fetches them from the web as favicons

PAGES = {
    "Network": [
        st.Page("app_pages/network.py", title="Network", default=True),
        st.Page("app_pages/network_map.py", title="Network map", url_path="network_map"),
        st.Page("app_pages/plants.py", title="Plants", url_path="plants"),
        st.Page("app_pages/inventory.py", title="Inventory", url_path="inventory"),
        st.Page("app_pages/customers.py", title="Customers", url_path="customers"),
    ],
    "Planning": [
        st.Page("app_pages/plan.py", title="Plan", url_path="plan"),
        st.Page("app_pages/exceptions.py", title="Exceptions", url_path="exceptions"),
        st.Page("app_pages/projected_inventory.py", title="Projected inventory",
                url_path="projected_inventory"),
        st.Page("app_pages/work_center_load.py", title="Work-center load", url_path="work_center_load"),
        st.Page("app_pages/synchronization.py", title="Synchronization", url_path="synchronization"),
        st.Page("app_pages/scenarios.py", title="Scenarios", url_path="scenarios"),
    ],
    "Value and data": [
        st.Page("app_pages/roi.py", title="ROI", url_path="roi"),
        st.Page("app_pages/data_quality.py", title="Data quality", url_path="data_quality"),
    ],
}

page = st.navigation(PAGES)
try:
    page.run()
except WarehouseUnavailable as problem:
    st.info(problem.message, icon="ℹ️")
