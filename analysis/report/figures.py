"""Everything the notebooks call, under one name: ``from analysis.report import figures``.

The notebooks import and narrate, and compute nothing themselves; they call
``figures.<name>`` for three kinds of things, each in a module of its own:

* ``analysis.report.select``: rows of the metrics table as the small tidy tables
  the notebooks show (``outlet_rows``, ``article_rows``, ``wide``, ``top_actors``,
  ``overview_table``) and the finding sentence they print (``describe_extremes``).
* ``analysis.report.evidence``: every number traced back to words (``hedge_table``,
  ``mention_table``, ``paragraph_table``, ``log_table``, ...), the probes and the
  validation tables.
* ``analysis.report.plots``: the figures, the projector rules they keep
  (``OUTLET_PALETTE``, ``ROLE_COLOURS``, ``LOW_N``, ``style``) and ``save_figure``.

Plus ``corpus_path`` and ``about_bundled`` from ``analysis.notebook``. This
module only re-exports; read the three modules for the code.
"""
from analysis.notebook import about_bundled, corpus_path  # noqa: F401
from analysis.report.evidence import (EXTERNAL_SETS, SUITE_SYSTEMS, article_overview, evidence,  # noqa: F401
                                      external_targets, external_validation, extreme_mentions, hedge_probe,
                                      hedge_table, label_overview, log_table, mention_table, named_actors,
                                      paragraph_table, readability_raw_vs_clean, raw_vs_clean, resampled_hedging_rates,
                                      role_disagreements, role_probe, sentiment_probe, validation_summary)
from analysis.report.plots import (BAD_CELL, BASELINE_COLOUR, INTERVAL_COLOUR, LOADED_COLOUR, LOW_N,  # noqa: F401
                                   METHOD_COLOUR, MIN_DOT_AREA, MISSING_COLOUR, OUTLET_PALETTE, ROLE_COLOURS,
                                   ROLE_ORDER, SENTIMENT_TICKS, SOURCE_TYPE_COLOURS, SOURCE_TYPE_ORDER, STYLE,
                                   VOICE_LABELS, VOICE_MARKERS, Panel, article_sizes, bootstrap_histogram,
                                   external_validation_bars, figures_dir, hedging_categories, interval_bars,
                                   interval_dots, label_matrix, outlet_colours, overview, paragraph_strip,
                                   readability_panels, role_bars, save_figure, sentiment_dots, sentiment_heatmap,
                                   short_system_label, small_multiples, source_type_bars, style, validation_bars)
from analysis.report.select import (FEW_UNITS, LABELS, READABILITY_TITLES, READABILITY_UNITS,  # noqa: F401
                                    article_rows, describe_extremes, format_number, most_mentioned, outlet_rows,
                                    overview_table, shorten, top_actors, wide)
