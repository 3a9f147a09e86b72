"""The dashboard (`make dashboard`): a Streamlit app over the published layer only."""
