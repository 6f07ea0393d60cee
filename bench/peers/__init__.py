"""Side by side with Label Studio and doccano (issue 17): `python -m bench.peers`."""
