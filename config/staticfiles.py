"""Static files storage: WhiteNoise's compressed, hashed files, with ES module imports
rewritten to the hashed names too.

The workspace script is a set of native modules (annotations/static/annotations/workspace/)
that import each other. Without the rewrite a hashed entry module imports its neighbours
by their plain names, which WhiteNoise caches for only a minute: for that minute after a
deploy a browser can run a new module beside a cached old one.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
