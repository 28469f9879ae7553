"""Page views: what the Kaart, Wijkprofiel, Vergelijken and Ontwikkeling pages show, and exports.

Each module builds the tables, figures and sentences of one page from the snapshot and the
catalogue (`analysis` core). Pages only lay these out.
"""

__all__ = ["compare", "exports", "ggd", "maps", "profile", "trends"]
