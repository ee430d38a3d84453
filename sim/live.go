package sim

// Stepping a world by hand, as the live workbench (`normsim serve`) does.

// Apply changes the parameters of a running world as event ev does. [Run]
// applies the events of step t just before the world's t-th [World.Step];
// a caller that steps a World itself gets the same steps by calling Apply
// for each event with ev.Step == w.T()+1 before calling Step. ev's keys
// must be ones an event may set ([Param].Event); on error some of its
// assignments may have been applied.
func (w *World) Apply(ev Event) error { return w.apply(ev) }
