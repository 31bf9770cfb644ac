"""Plain modules behind the dashboard pages: warehouse queries, formatting, business figures."""
