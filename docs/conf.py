# Sphinx configuration of micromeso's documentation: Markdown pages (MyST)
# and the Python API from the module's docstrings (autodoc).
#   cmake --build build --target docs        (HTML in build/docs/html)
# or by hand, with the module of a build tree:
#   PYTHONPATH=build/python python3 -m sphinx -W --keep-going -n -b html docs build/docs/html
# (Debian's /usr/bin/python3 with python3-sphinx 5.3, python3-myst-parser 0.18 and python3-doc.)
import os
import sys

# The build tree's module when PYTHONPATH does not name one (a build in build/).
try:
    import micromeso
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "python"))
    import micromeso

project = "micromeso"
author = "the micromeso developers"
copyright = "2026, " + author
release = micromeso.__version__
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.intersphinx"]

# Standard-library types in signatures (os.PathLike, ...) link to Python's
# documentation, through the inventory Debian's python3-doc installs: the
# build needs no network.
python_inventory = "/usr/share/doc/python%d.%d/html/objects.inv" % sys.version_info[:2]
intersphinx_mapping = {"python": ("https://docs.python.org/%d.%d" % sys.version_info[:2], python_inventory)}
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# Anchors for headings down to level 4, so that [text](page.md#heading) and
# [text](#heading) links resolve as they do on GitHub (the same slugs).
myst_heading_anchors = 4

autodoc_member_order = "bysource"

html_theme = "alabaster"
html_title = "micromeso " + release
html_static_path = []
