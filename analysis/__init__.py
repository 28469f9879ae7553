"""Pure, typed functions: indicators, statistics, formatting and figures. Never imports streamlit."""
