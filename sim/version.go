package sim

// Version is the engine's version. It changes whenever the engine's
// results for a given scenario and seed may change (0.2.0: model version
// 2 of MODEL.md). The command records it in every output, with the VCS
// revision it was built from when the build has one.
const Version = "0.2.0"
