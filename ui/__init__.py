"""Streamlit pages. The only package that imports streamlit; all figures come from `impact`."""
