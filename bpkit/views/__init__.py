"""The interactive experiments, one module per experiment. Each has a View, whose `update(...)`
takes the control values and the learner's own functions and returns the outputs to show (tests
and benchmarks call it directly), and a builder that wires ipywidgets controls to it through
bpkit.live.explorer (None when headless, as in the grader).

    neuron     neuron_explorer: a neuron steered with sliders (01)
    losses     loss_explorer: losses and their slopes as a prediction moves (02)
    graph      graph_explorer: a computational graph with its gradients (03)
    nudge      nudge_explorer: a weight nudged against its gradient's prediction (04)
    descent    learning_rate_explorer: a learning rate that converges or diverges (05)
    progress   TrainingProgress: a training loop's progress line (05)
    race       optimizer_explorer: four optimizers racing down a valley (06)
    deep       depth_explorer: depth, activation and initialisation against each layer's
               gradient and a short training run (07)
    landscapes landscape_explorer: a start, a learning rate and a schedule on a loss with
               several valleys (08)
    regularization  regularization_explorer: width, training-set size, L2 strength and
               dropout rate against the training and validation curves (09)
    capstone   search_explorer: the runs of a hyperparameter search, their curves and
               confusion matrices (10)
"""
