"""Pure, typed functions: indicators, statistics, formatting, figures. Never imports streamlit."""
