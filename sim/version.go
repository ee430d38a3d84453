package sim

// Version is the program version recorded in every output. It changes
// whenever the engine's results for a given scenario and seed may change.
const Version = "0.1.0"
