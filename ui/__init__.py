"""Claimcheck's Streamlit app: ``streamlit run ui/app.py`` (or ``claimcheck serve``)."""
