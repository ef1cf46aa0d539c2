"""Analysis of results (docs/RESULTS.md): reading them and drawing the figures.

Never imports the model (`sim.model`) or the runners (`sim.run`): everything here works from
the files a run, batch or sweep wrote, or from a result object in memory that carries the same
tables (`memory`: duck-typed, .daily/.events/.calendar/.manifest, and .summary/.experiments for
batches and sweeps).

    results        load(DIR) -> Results: daily, events, calendar, summary, design, sensitivity
    memory         open_results(DIR or object) -> Results
    figures        make_figure(SOURCE, kind) and save_figure(fig, PATH): the entry point
    plots_time     escalation curve, scenario comparison
    plots_timeline event timeline (hostile and cooperative acts told apart; styles in `actions`)
    plots_network  dyad tension heatmap, relations network small multiples
    plots_sweep    outcome vs parameter, two-parameter heatmap
    plots_sensitivity  Sobol/Morris bars, with a warning when the sample is too small
    plots_history  launch days per year and month against the observed record, PIT histogram
    discovery      PRIM/CART scenario discovery (EMA Workbench); plots_discovery its figures
    report         the HTML report; report_params, report_sections, html_parts its pieces
    labels         parameter paths and scenario differences in words
    sensitivity_checks  is a Sobol/Morris result meaningful?
    style, decor, strip  colours, fonts, shared drawing pieces, the drill strip
"""
