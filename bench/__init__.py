"""The benchmark of the atlas (`python -m geo bench`) and its synthetic data; never imported by the app."""
