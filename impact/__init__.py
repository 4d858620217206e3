"""The impact model of the Ivrea/Asti to Torino move: pure Python and numpy, no user interface."""
