"""Analysis of result files (docs/RESULTS.md): reading them and drawing the figures.

Never imports the model (`sim.model`) or the runners (`sim.run`): everything here works from
the files a run, batch or sweep wrote.

    results        load(DIR) -> Results: daily, events, calendar, summary, design, sensitivity
    figures        make_figure(DIR, kind) and save_figure(fig, PATH): the entry point
    plots_time     escalation curve, scenario comparison, event timeline
    plots_network  dyad tension heatmap, relations network small multiples
    plots_sweep    outcome vs parameter, two-parameter heatmap, Sobol/Morris bars
    style          actor colours (Okabe-Ito), palettes, fonts; decor: shared drawing pieces
"""
